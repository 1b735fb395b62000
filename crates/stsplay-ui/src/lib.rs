//! The playground's UI state, without the browser: the recorded session (files, seed, commands stamped with
//! the moment they ran), the player that replays it to any moment (rewind, fork), the reducer the Yew shell
//! dispatches to, the view models its components draw, and the share-link codec.
//!
//! It is not a UI toolkit binding: nothing here touches web-sys, the wall clock or OS randomness, so every
//! piece is tested natively and a browser session replays natively byte for byte.

pub mod app;
pub mod editor;
pub mod export;
pub mod i18n;
pub mod lessons;
pub mod player;
pub mod session;
pub mod share;
pub mod timeline;
pub mod view;
