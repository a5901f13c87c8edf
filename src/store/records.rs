//! Record encoding: `[format][version][payload]`. Format 1 is JSON. The version belongs to the record type,
//! so a later release can read old records (and migrations can rewrite them) without guessing.

use serde::{Serialize, de::DeserializeOwned};

use super::StoreError;

const FORMAT_JSON: u8 = 1;

/// A record type kept in the store, with its current version.
pub trait Record: Serialize + DeserializeOwned {
    const KIND: &'static str;
    const VERSION: u8;
}

pub fn encode<R: Record>(r: &R) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![FORMAT_JSON, R::VERSION];
    serde_json::to_writer(&mut out, r).map_err(|e| StoreError::Corrupt {
        what: R::KIND,
        detail: e.to_string(),
    })?;
    Ok(out)
}

pub fn decode<R: Record>(bytes: &[u8]) -> Result<R, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: R::KIND,
        detail,
    };
    match bytes {
        [FORMAT_JSON, v, payload @ ..] if *v == R::VERSION => {
            serde_json::from_slice(payload).map_err(|e| corrupt(e.to_string()))
        }
        [FORMAT_JSON, v, ..] => Err(corrupt(format!(
            "record version {v}, this build reads version {}",
            R::VERSION
        ))),
        _ => Err(corrupt("unknown record format".into())),
    }
}

/// The record types the store keeps, with their versions. A change to one of these types that old
/// records cannot be read as needs a new version and a migration.
macro_rules! record {
    ($t:ty, $kind:literal, $v:literal) => {
        impl Record for $t {
            const KIND: &'static str = $kind;
            const VERSION: u8 = $v;
        }
    };
}
record!(crate::cases::records::Draft, "draft", 1);
record!(crate::cases::records::Submission, "submission", 1);
record!(crate::cases::records::OutboxRow, "outbox row", 1);
record!(crate::forms::lists::ValueList, "value list", 1);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        a: String,
    }
    impl Record for T {
        const KIND: &'static str = "test";
        const VERSION: u8 = 3;
    }

    #[test]
    fn round_trip_and_refusals() {
        let bytes = encode(&T { a: "æøå".into() }).unwrap();
        assert_eq!(&bytes[..2], &[1, 3]);
        assert_eq!(decode::<T>(&bytes).unwrap(), T { a: "æøå".into() });
        let mut other = bytes.clone();
        other[1] = 2;
        assert!(
            decode::<T>(&other)
                .unwrap_err()
                .to_string()
                .contains("record version 2")
        );
        assert!(decode::<T>(&[9, 9]).is_err());
        assert!(decode::<T>(&[]).is_err());
    }
}
