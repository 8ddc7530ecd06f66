//! `pms config`: the effective settings, secrets masked.

use pms_core::Config;

pub fn run(config: &Config) -> anyhow::Result<()> {
    for (name, value) in config.describe() {
        println!("{name:<20} {value}");
    }
    Ok(())
}
