pub mod cache;
pub mod config;
pub mod down;
pub mod maintenance;
pub mod migrate;
pub mod seed;
pub mod up;
pub mod worker;
