//! A synchronous face on [`DbSource`] for thread-based callers: it owns a current-thread tokio
//! runtime and blocks on each call. Concurrency over tables still happens, inside the runtime,
//! while [`BlockingSamples::next`] waits.

use tokio::runtime::Runtime;

use super::{
    DbError, DbErrorKind, DbOptions, DbSource, DbUrl, SampleStream, TableInfo, TableSample,
};

/// A connected database with blocking methods. Not for use inside an async runtime (it would
/// block that runtime's thread); use [`DbSource`] there.
#[derive(Debug)]
pub struct BlockingDbSource {
    // Declared first so it is dropped first, while the runtime still runs.
    source: DbSource,
    runtime: Runtime,
}

impl BlockingDbSource {
    /// [`connect`](super::connect), blocking.
    pub fn connect(url: &DbUrl, opts: &DbOptions) -> Result<Self, DbError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                DbError::new(
                    url.to_string(),
                    None,
                    DbErrorKind::Query,
                    format!("cannot start the I/O runtime: {e}"),
                )
            })?;
        let source = runtime.block_on(super::connect(url, opts))?;
        Ok(BlockingDbSource { source, runtime })
    }

    /// The async source, e.g. for its name and options.
    pub fn source(&self) -> &DbSource {
        &self.source
    }

    /// The redacted display name.
    pub fn name(&self) -> &str {
        self.source.name()
    }

    /// [`DbSource::list_tables`], blocking.
    pub fn list_tables(&self) -> Result<Vec<TableInfo>, DbError> {
        self.runtime.block_on(self.source.list_tables())
    }

    /// [`DbSource::sample`], blocking.
    pub fn sample(&self, table: &TableInfo) -> Result<TableSample, DbError> {
        self.runtime.block_on(self.source.sample(table))
    }

    /// [`DbSource::samples`] as an iterator: one result per table, in completion order.
    pub fn samples(&self, tables: Vec<TableInfo>) -> BlockingSamples<'_> {
        BlockingSamples {
            runtime: &self.runtime,
            stream: self.source.samples(tables),
        }
    }
}

impl Drop for BlockingDbSource {
    fn drop(&mut self) {
        // Say goodbye to the server instead of leaving it to notice dropped sockets.
        self.runtime.block_on(self.source.close());
    }
}

/// Iterator over per-table sample results; see [`BlockingDbSource::samples`].
#[derive(Debug)]
pub struct BlockingSamples<'a> {
    runtime: &'a Runtime,
    stream: SampleStream,
}

impl Iterator for BlockingSamples<'_> {
    type Item = Result<TableSample, DbError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.stream.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.stream.remaining();
        (n, Some(n))
    }
}
