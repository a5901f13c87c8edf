//! What a delivery target is given, and how it says that a delivery failed.

/// One file of a delivery, e.g. `submission.xml`, `arkivmelding.xml`, `submission.pdf`,
/// `attachments/1-bilde.jpg` or `manifest.json`.
#[derive(Clone, PartialEq, Eq)]
pub struct PackageFile {
    /// The path relative to the delivery, with `/` as the separator.
    pub name: String,
    /// A MIME type such as `application/pdf` or `text/plain; charset=utf-8`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Shows the size rather than the bytes.
impl std::fmt::Debug for PackageFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackageFile")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Everything one delivery of one submission carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The reference from the receipt, e.g. `2026-00042`. Unique within the tenant.
    pub reference: String,
    /// The tenant's id in the configuration.
    pub tenant: String,
    /// The form id.
    pub form: String,
    pub form_version: u32,
    /// When the form was submitted, in Unix seconds.
    pub submitted: i64,
    pub files: Vec<PackageFile>,
}

/// Why one delivery did not happen, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Try again later (with backoff): the peer is down, busy, slow, or misconfigured in a way that
    /// fixing the configuration will recover.
    Retry(String),
    /// Trying again with the same package cannot succeed: the peer refused this delivery.
    Permanent(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Retry(m) => write!(f, "will retry: {m}"),
            Failure::Permanent(m) => write!(f, "failed permanently: {m}"),
        }
    }
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = DIGITS.get(usize::from(nibble)) {
                s.push(char::from(d));
            }
        }
    }
    s
}

/// Lower-case hexadecimal SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_sha256() {
        assert_eq!(hex(&[0x00, 0x9f, 0xff]), "009fff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
