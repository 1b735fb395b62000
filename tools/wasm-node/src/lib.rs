//! The engine compiled to wasm and driven from node (`wasm-bindgen --target nodejs`): it exists so the same
//! scenarios run natively and as wasm and their outputs and timings can be compared. Not shipped to the page.
