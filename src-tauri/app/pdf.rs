//! Prints the main window's page with WebKit's own print engine (the page's
//! print CSS decides what is on paper), without a dialog: to a PDF file (the
//! end-of-day export) or to a CUPS printer (receipts), so Bangla is shaped
//! by the same engine that shows it.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime};

/// Where the page goes.
pub enum PrintTo<'a> {
    /// A PDF file, A4 portrait.
    Pdf(&'a Path),
    /// A CUPS printer by name, on a receipt roll this many mm wide.
    Cups { printer: &'a str, paper_mm: f64 },
}

/// Prints the `main` window to a PDF file, A4 portrait, and waits for it.
pub async fn print_main_to_pdf<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<(), String> {
    print_main(app, PrintTo::Pdf(path), std::time::Duration::from_secs(60)).await
}

/// Prints the `main` window to `to` and waits for WebKit to hand it over,
/// for at most `limit`.
pub async fn print_main<R: Runtime>(app: &AppHandle<R>, to: PrintTo<'_>, limit: std::time::Duration) -> Result<(), String> {
    let window = app.get_webview_window(super::MAIN_LABEL).ok_or("the main window is gone")?;
    let (done, finished) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let (printer, file_uri, paper_mm) = match to {
        PrintTo::Pdf(path) => ("Print to File".to_string(), Some(format!("file://{}", path.display())), None),
        PrintTo::Cups { printer, paper_mm } => (printer.to_string(), None, Some(paper_mm)),
    };
    window
        .with_webview(move |webview| {
            use webkit2gtk::PrintOperationExt;
            let settings = gtk::PrintSettings::new();
            settings.set_printer(&printer);
            if let Some(uri) = &file_uri {
                settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
                settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(uri));
            }
            let setup = gtk::PageSetup::new();
            match paper_mm {
                // A receipt roll: its width, and long enough for any receipt.
                Some(width) => setup.set_paper_size(&gtk::PaperSize::new_custom("receipt", "Receipt", width, 297.0, gtk::Unit::Mm)),
                None => setup.set_paper_size(&gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4))),
            }
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
    tokio::time::timeout(limit, finished)
        .await
        .map_err(|_| format!("printing took over {} s", limit.as_secs()))?
        .map_err(|_| "printing stopped".to_string())?
}
