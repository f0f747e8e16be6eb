#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| shortcrust_fuzzing::smith_run(data));
