//! A form definition file, as an operator or a tenant writes it: parsed, and when it loads, run through the
//! engine with no answers. Nothing may panic, whatever the file says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radhus::forms::answers::Answers;
use radhus::forms::engine::{Engine, Lists};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(def) = radhus::forms::registry::parse_form("fuzz.toml", text, None) else {
        return;
    };
    let lists = Lists::default();
    let engine = Engine::new(&def, &lists, time::macros::date!(2026 - 11 - 24));
    let answers = Answers::default();
    let _ = engine.validate_all(&answers);
    for step in engine.visible_steps(&answers) {
        let _ = engine.validate_step(step, &answers);
    }
    let _ = engine.prune(&answers);
});
