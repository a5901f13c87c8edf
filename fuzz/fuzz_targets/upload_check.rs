//! An uploaded file's bytes through the structure checks (attachments::structure::check) for each type a
//! form may accept: the first byte chooses the type, the rest is the file. Nothing may panic or hang,
//! whatever the headers, sizes and offsets claim.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radhus::attachments::{TYPES, structure};

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else {
        return;
    };
    let kind = &TYPES[usize::from(*first) % TYPES.len()];
    let _ = structure::check(kind, bytes);
});
