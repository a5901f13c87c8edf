//! A theme's logo.svg as the PDFs read it: pdf::VectorLogo::from_svg (XML, path data, transforms,
//! `use` and clip-path references, the size and complexity limits).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = radhus::pdf::VectorLogo::from_svg(data);
});
