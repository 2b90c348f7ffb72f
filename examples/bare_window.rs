//! The launch benchmark's baseline: a bare Tauri window built from the same
//! crate versions and profile as the app, showing one static page. Prints
//! `READY <unix µs>` when the page has loaded.

use tauri::webview::PageLoadEvent;

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(app, "bare", tauri::WebviewUrl::App("bare.html".into()))
                .title("bare")
                .inner_size(1280.0, 800.0)
                .on_page_load(|_, payload| {
                    if payload.event() == PageLoadEvent::Finished {
                        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
                        println!("READY {}", now.as_micros());
                    }
                })
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the bare window runs");
}
