//! Temporary stand-in until the plotters module lands.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChartError(pub String);
pub struct Category {
    pub label: String,
    pub color: (u8, u8, u8),
}
pub struct Heatmap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    pub row_groups: Vec<(String, usize, usize)>,
    pub cells: Vec<Vec<Option<usize>>>,
    pub categories: Vec<Category>,
    pub source: String,
}
pub struct StackedBars {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub labels: Vec<String>,
    pub categories: Vec<Category>,
    pub values: Vec<Vec<f64>>,
    pub percent: bool,
    pub horizontal: bool,
    pub source: String,
}
pub struct MatrixChart {
    pub title: String,
    pub labels: Vec<String>,
    pub values: Vec<Vec<f64>>,
    pub source: String,
    pub note: Option<String>,
}
pub struct Timeline {
    pub title: String,
    pub lanes: Vec<String>,
    pub events: Vec<(usize, f64, String, usize)>,
    pub categories: Vec<Category>,
    pub x_range: (f64, f64),
    pub source: String,
}
pub fn heatmap_svg(_c: &Heatmap) -> Result<String, ChartError> {
    Ok(String::new())
}
pub fn heatmap_png(_c: &Heatmap) -> Result<Vec<u8>, ChartError> {
    Ok(Vec::new())
}
pub fn stacked_svg(_c: &StackedBars) -> Result<String, ChartError> {
    Ok(String::new())
}
pub fn stacked_png(_c: &StackedBars) -> Result<Vec<u8>, ChartError> {
    Ok(Vec::new())
}
pub fn matrix_svg(_c: &MatrixChart) -> Result<String, ChartError> {
    Ok(String::new())
}
pub fn matrix_png(_c: &MatrixChart) -> Result<Vec<u8>, ChartError> {
    Ok(Vec::new())
}
pub fn timeline_svg(_c: &Timeline) -> Result<String, ChartError> {
    Ok(String::new())
}
pub fn timeline_png(_c: &Timeline) -> Result<Vec<u8>, ChartError> {
    Ok(Vec::new())
}
