//! The template reader end to end: YAML or JSON text → tree → intrinsics → SAM → model. Any input
//! must give a template or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sensei_template::read("fuzz.yaml", text, &sensei_template::Options::default());
    }
});
