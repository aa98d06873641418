#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| advocacy_fuzz::checks::model_toml(data));
