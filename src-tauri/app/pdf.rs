//! Prints the main window's page to a PDF file with WebKit's own print
//! engine (the page's print CSS decides what is on paper), without a dialog.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime};

/// Prints the `main` window to `path` as PDF, A4 portrait, and waits for it.
pub async fn print_main_to_pdf<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<(), String> {
    let window = app.get_webview_window("main").ok_or("the main window is gone")?;
    let (done, finished) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let uri = format!("file://{}", path.display());
    window
        .with_webview(move |webview| {
            use webkit2gtk::PrintOperationExt;
            let settings = gtk::PrintSettings::new();
            settings.set_printer("Print to File");
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(&uri));
            let setup = gtk::PageSetup::new();
            setup.set_paper_size(&gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4)));
            let operation = webkit2gtk::PrintOperation::new(&webview.inner());
            operation.set_print_settings(&settings);
            operation.set_page_setup(&setup);
            let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
            let on_fail = done.clone();
            operation.connect_failed(move |_, error| {
                if let Some(tx) = on_fail.borrow_mut().take() {
                    let _ = tx.send(Err(error.to_string()));
                }
            });
            operation.connect_finished(move |_| {
                if let Some(tx) = done.borrow_mut().take() {
                    let _ = tx.send(Ok(()));
                }
            });
            operation.print();
        })
        .map_err(|e| e.to_string())?;
    tokio::time::timeout(std::time::Duration::from_secs(60), finished)
        .await
        .map_err(|_| "printing to PDF took over a minute".to_string())?
        .map_err(|_| "printing stopped".to_string())?
}
