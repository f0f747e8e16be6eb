//! [`PersistentStore`]: the state on disk, in one redb database inside a state directory.
//!
//! Directory rules ([`PersistentStore::open`]):
//! - a missing directory is created, and so is the database in an empty directory;
//! - an existing directory must hold `state.redb` or be empty: anything else is refused with
//!   [`StoreError::NotAStateDirectory`], so a mistyped `--state` never writes into a random
//!   directory; a `state.redb` that is not a redb file, or a redb file without Shortcrust's
//!   format marker, is refused the same way; another format version gives
//!   [`StoreError::IncompatibleFormat`];
//! - redb locks the file: a second opener (another process, or a second store in this one)
//!   gets [`StoreError::Locked`] and the data is untouched;
//! - a file damaged outside redb is reported as [`StoreError::Corrupted`]: at open when redb
//!   notices, or when a damaged record is read (every node and code record is checked against
//!   its hash), or at open already with [`OpenOptions::check_integrity`].
//!
//! Crash safety: every commit, root deletion and prune is one redb write transaction with
//! immediate durability, so a crash at any instant leaves the last committed state. After a
//! crash redb repairs the file when it is reopened, which walks the whole file; with
//! [`OpenOptions::quick_repair`] it records its allocator state in each commit instead, making
//! that reopen immediate at the price of a second `fsync` per commit (measured here: 6.8 ms
//! instead of 3.5 ms for a small commit).

mod tables;
mod view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableError};

use self::tables::*;
use self::view::PersistentView;
use crate::cache::NodeCache;
use crate::commit::{self, PruneStats};
use crate::memory::check_deletable;
use crate::node::{ChildRef, NodeKey};
use crate::{ChangeSet, CommitInfo, Root, StateView, Store, StoreError, StoreStats};

/// File name of the database inside a state directory.
pub const DB_FILE: &str = "state.redb";

/// Tuning of [`PersistentStore::open_with`].
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Byte budget of the decoded-node cache shared by all views.
    pub node_cache_bytes: usize,
    /// redb's page cache, in bytes (an upper bound: it grows with use up to this).
    pub db_cache_bytes: usize,
    /// Verify every page checksum at open (reads the whole file; off by default).
    pub check_integrity: bool,
    /// Record allocator state in every commit so that reopening after a crash is immediate
    /// (costs a second `fsync` per commit; off by default).
    pub quick_repair: bool,
    /// `true` (default): every commit is durable when it returns (one `fsync`, ~3.3 ms on this
    /// machine's disk). `false`: commits, deletions and prunes are still atomic, but a crash may
    /// undo those made since the last durable one — the state then reopens at that earlier,
    /// intact root. Make everything durable with [`PersistentStore::sync`] (e.g. once per
    /// block); redb cannot reuse space freed since the last durable commit until then.
    pub durable_commits: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            node_cache_bytes: 128 << 20,
            db_cache_bytes: 1 << 30,
            check_integrity: false,
            quick_repair: false,
            durable_commits: true,
        }
    }
}

/// A [`Store`] on disk. See the module docs.
pub struct PersistentStore {
    db: Database,
    dir: PathBuf,
    cache: Arc<NodeCache>,
    options: OpenOptions,
}

impl std::fmt::Debug for PersistentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersistentStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn not_state(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::NotAStateDirectory {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn open_error(dir: &Path, file: &Path, e: redb::DatabaseError) -> StoreError {
    use redb::{DatabaseError as D, StorageError as S};
    match e {
        D::DatabaseAlreadyOpen | D::LockProtocolMismatch => StoreError::Locked {
            path: dir.to_path_buf(),
        },
        D::UpgradeRequired(v) => StoreError::IncompatibleFormat {
            found: format!("redb file format {v}"),
            expected: FORMAT,
        },
        D::Storage(S::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
            not_state(file, format!("not a redb database ({e})"))
        }
        D::Storage(S::Io(e)) => StoreError::Io {
            path: file.to_path_buf(),
            source: e,
        },
        D::Storage(S::Corrupted(msg)) => {
            StoreError::Corrupted(format!("{}: {msg}", file.display()))
        }
        other => StoreError::Backend(format!("{}: {other}", file.display())),
    }
}

/// Runs a redb open, turning a panic into [`StoreError::Corrupted`].
///
/// redb documents that opening a file damaged outside redb "may panic" (its internal
/// consistency checks are debug assertions); a damaged state directory must give an error, not
/// bring the node down. Nothing of the failed open is used afterwards. (With `panic = "abort"`
/// this cannot help; [`OpenOptions::check_integrity`] then reports the damage as an error.)
fn guard_panics<T>(
    file: &Path,
    open: impl FnOnce() -> Result<T, redb::DatabaseError>,
) -> Result<Result<T, redb::DatabaseError>, StoreError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(open)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        StoreError::Corrupted(format!(
            "{}: the database failed its consistency checks while opening ({msg})",
            file.display()
        ))
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// A Shortcrust state of the supported format.
    Ours,
    /// A redb database without any table (new, or crashed before its first commit).
    Blank,
}

/// Whether the database read by `txn` is a Shortcrust state of our format.
fn format_state(txn: &redb::ReadTransaction, file: &Path) -> Result<Format, StoreError> {
    match txn.open_table(META) {
        Ok(meta) => {
            let found = meta.get(META_FORMAT).map_err(db_err)?;
            let found = found
                .as_ref()
                .map(|g| String::from_utf8_lossy(g.value()).into_owned());
            match found {
                Some(f) if f == FORMAT => Ok(Format::Ours),
                Some(f) => Err(StoreError::IncompatibleFormat {
                    found: f,
                    expected: FORMAT,
                }),
                None => Err(not_state(
                    file,
                    "redb database without a Shortcrust format marker",
                )),
            }
        }
        Err(TableError::TableDoesNotExist(_)) => {
            if txn.list_tables().map_err(db_err)?.next().is_some() {
                Err(not_state(file, "a redb database of something else"))
            } else {
                Ok(Format::Blank)
            }
        }
        Err(e) => Err(db_err(e)),
    }
}

impl PersistentStore {
    /// Opens (or creates) the state in `dir` with default options. See the module docs.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(dir, OpenOptions::default())
    }

    pub fn open_with(dir: impl AsRef<Path>, options: OpenOptions) -> Result<Self, StoreError> {
        let dir = dir.as_ref();
        match std::fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => return Err(not_state(dir, "not a directory")),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            Err(e) => return Err(io_err(dir)(e)),
        }
        let file = dir.join(DB_FILE);
        let exists = match std::fs::symlink_metadata(&file) {
            Ok(meta) if !meta.is_file() => {
                return Err(not_state(&file, "not a regular file"));
            }
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io_err(&file)(e)),
        };
        // A database is created under a temporary name and renamed into place once initialised
        // (below): a crash during creation leaves only that file, which is not state.
        let creating = dir.join(format!("{DB_FILE}.creating"));
        if !exists
            && std::fs::read_dir(dir)
                .map_err(io_err(dir))?
                .filter_map(Result::ok)
                .any(|e| e.path() != creating)
        {
            return Err(not_state(
                dir,
                format!("the directory is not empty and holds no {DB_FILE}"),
            ));
        }

        let mut builder = Database::builder();
        builder
            .set_cache_size(options.db_cache_bytes)
            .set_check_integrity_on_open(options.check_integrity);
        let mut non_empty = exists && std::fs::metadata(&file).map_err(io_err(&file))?.len() > 0;
        if !non_empty {
            // Create, initialise and close the database under the temporary name, then rename it
            // into place: `state.redb` exists only once it holds the empty state (a SIGKILL
            // during creation used to leave a file that was not a database).
            let _ = std::fs::remove_file(&creating);
            if exists {
                std::fs::remove_file(&file).map_err(io_err(&file))?;
            }
            let db = guard_panics(&creating, || builder.create(&creating))?
                .map_err(|e| open_error(dir, &creating, e))?;
            let fresh = PersistentStore {
                db,
                dir: dir.to_path_buf(),
                cache: Arc::new(NodeCache::new(options.node_cache_bytes)),
                options: options.clone(),
            };
            fresh.init()?;
            drop(fresh);
            std::fs::rename(&creating, &file).map_err(io_err(&file))?;
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            non_empty = true;
        }
        if non_empty {
            // Look before writing: even a plain read-write open updates redb's header, and a
            // database that is not ours must be left byte-for-byte as it was.
            match guard_panics(&file, || builder.open_read_only(&file))? {
                Ok(ro) => {
                    let txn = ro.begin_read().map_err(db_err)?;
                    format_state(&txn, &file)?;
                }
                // Not shut down cleanly and no allocator state recorded: only a read-write open
                // can repair it; the format is checked right after.
                Err(redb::DatabaseError::RepairAborted) => {}
                Err(e) => return Err(open_error(dir, &file, e)),
            }
        }
        let db = guard_panics(&file, || {
            if non_empty {
                builder.open(&file)
            } else {
                builder.create(&file)
            }
        })?
        .map_err(|e| open_error(dir, &file, e))?;

        let store = PersistentStore {
            db,
            dir: dir.to_path_buf(),
            cache: Arc::new(NodeCache::new(options.node_cache_bytes)),
            options,
        };
        let txn = store.db.begin_read().map_err(db_err)?;
        if format_state(&txn, &file)? == Format::Blank {
            drop(txn);
            store.init()?;
        }
        Ok(store)
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the empty state (first open of a new database), atomically with the format marker.
    fn init(&self) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        {
            let mut meta = txn.open_table(META).map_err(db_err)?;
            meta.insert(META_FORMAT, FORMAT.as_bytes())
                .map_err(db_err)?;
            meta.insert(META_HEAD, Root::EMPTY.0.as_slice())
                .map_err(db_err)?;
            meta.insert(META_NEXT_SEQ, 1u64.to_le_bytes().as_slice())
                .map_err(db_err)?;
            meta.insert(META_NEXT_BATCH, 1u64.to_le_bytes().as_slice())
                .map_err(db_err)?;
            let mut roots = txn.open_table(ROOTS).map_err(db_err)?;
            let empty = RootRecord {
                info: CommitInfo {
                    root: Root::EMPTY,
                    parent: None,
                    seq: 0,
                    height: 0,
                },
                top: ChildRef::EMPTY,
            };
            roots
                .insert(Root::EMPTY.0, encode_root(&empty).as_slice())
                .map_err(db_err)?;
            txn.open_table(PENDING).map_err(db_err)?;
            WriteTables::open(&txn)?;
        }
        txn.commit().map_err(db_err)
    }

    fn begin_write(&self) -> Result<redb::WriteTransaction, StoreError> {
        let mut txn = self.db.begin_write().map_err(db_err)?;
        txn.set_quick_repair(self.options.quick_repair);
        if !self.options.durable_commits {
            txn.set_durability(redb::Durability::None)
                .map_err(|e| StoreError::Backend(e.to_string()))?;
        }
        Ok(txn)
    }

    /// Makes every commit so far durable (a no-op cost-wise beyond one `fsync` when
    /// [`OpenOptions::durable_commits`] is on, since they already are).
    pub fn sync(&self) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write().map_err(db_err)?;
        txn.set_quick_repair(self.options.quick_repair);
        txn.commit().map_err(db_err)
    }

    fn read_head<T: ReadableTable<&'static str, &'static [u8]>>(
        meta: &T,
    ) -> Result<Root, StoreError> {
        let guard = meta
            .get(META_HEAD)
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Corrupted("no head recorded".into()))?;
        decode_root("head", guard.value())
    }

    fn read_counter<T: ReadableTable<&'static str, &'static [u8]>>(
        meta: &T,
        name: &str,
    ) -> Result<u64, StoreError> {
        let guard = meta
            .get(name)
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Corrupted(format!("no {name} recorded")))?;
        decode_u64(name, guard.value())
    }

    /// Reclaims the file space freed by [`Store::prune`] by compacting the database. Needs no
    /// view to be alive (they hold snapshots); fails with [`StoreError::Backend`] otherwise.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        self.db.compact().map_err(|e| match e {
            redb::CompactionError::TransactionInProgress => {
                StoreError::Backend("cannot compact while views or transactions are alive".into())
            }
            other => db_err(other),
        })
    }
}

impl Store for PersistentStore {
    fn empty_root(&self) -> Root {
        Root::EMPTY
    }

    fn head(&self) -> Result<Root, StoreError> {
        let txn = self.db.begin_read().map_err(db_err)?;
        let meta = txn.open_table(META).map_err(db_err)?;
        Self::read_head(&meta)
    }

    fn view(&self, root: &Root) -> Result<Arc<dyn StateView>, StoreError> {
        let txn = self.db.begin_read().map_err(db_err)?;
        let roots = txn.open_table(ROOTS).map_err(db_err)?;
        let record = read_root(&roots, root)?.ok_or(StoreError::UnknownRoot(*root))?;
        Ok(Arc::new(PersistentView {
            root: *root,
            top: record.top,
            nodes: txn.open_table(NODES).map_err(db_err)?,
            code: txn.open_table(CODE).map_err(db_err)?,
            cache: self.cache.clone(),
            memo: Default::default(),
        }))
    }

    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError> {
        let txn = self.begin_write()?;
        let (root, fresh) = {
            let mut roots = txn.open_table(ROOTS).map_err(db_err)?;
            let mut meta = txn.open_table(META).map_err(db_err)?;
            let mut tables = WriteTables::open(&txn)?;
            let base_record = read_root(&roots, base)?.ok_or(StoreError::UnknownRoot(*base))?;
            let batch = Self::read_counter(&meta, META_NEXT_BATCH)?;
            let src = DbNodes {
                table: &tables.nodes,
                cache: &self.cache,
            };
            let plan = commit::plan(&src, &base_record.top, changes, batch)?;
            let root = Root(plan.root.hash);
            let mut fresh = Vec::new();
            if read_root(&roots, &root)?.is_none() {
                commit::apply(&mut tables, &plan)?;
                let seq = Self::read_counter(&meta, META_NEXT_SEQ)?;
                let record = RootRecord {
                    info: CommitInfo {
                        root,
                        parent: Some(*base),
                        seq,
                        height: base_record.info.height + 1,
                    },
                    top: plan.root,
                };
                roots
                    .insert(root.0, encode_root(&record).as_slice())
                    .map_err(db_err)?;
                meta.insert(META_NEXT_SEQ, (seq + 1).to_le_bytes().as_slice())
                    .map_err(db_err)?;
                meta.insert(META_NEXT_BATCH, (batch + 1).to_le_bytes().as_slice())
                    .map_err(db_err)?;
                fresh = plan.fresh;
            }
            meta.insert(META_HEAD, root.0.as_slice()).map_err(db_err)?;
            (root, fresh)
        };
        txn.commit().map_err(db_err)?;
        // Warm the cache with the new paths: the next session reads from this root.
        for (key, node) in fresh {
            self.cache.insert(key, node);
        }
        Ok(root)
    }

    fn commits(&self) -> Result<Vec<CommitInfo>, StoreError> {
        let txn = self.db.begin_read().map_err(db_err)?;
        let roots = txn.open_table(ROOTS).map_err(db_err)?;
        let mut out = Vec::new();
        for entry in roots.iter().map_err(db_err)? {
            let (k, v) = entry.map_err(db_err)?;
            out.push(decode_root_record(Root(k.value()), v.value())?.info);
        }
        out.sort_by_key(|c| c.seq);
        Ok(out)
    }

    fn commit_info(&self, root: &Root) -> Result<CommitInfo, StoreError> {
        let txn = self.db.begin_read().map_err(db_err)?;
        let roots = txn.open_table(ROOTS).map_err(db_err)?;
        Ok(read_root(&roots, root)?
            .ok_or(StoreError::UnknownRoot(*root))?
            .info)
    }

    fn set_head(&self, root: &Root) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        {
            let roots = txn.open_table(ROOTS).map_err(db_err)?;
            if read_root(&roots, root)?.is_none() {
                return Err(StoreError::UnknownRoot(*root));
            }
            let mut meta = txn.open_table(META).map_err(db_err)?;
            meta.insert(META_HEAD, root.0.as_slice()).map_err(db_err)?;
        }
        txn.commit().map_err(db_err)
    }

    fn delete_root(&self, root: &Root) -> Result<(), StoreError> {
        let txn = self.begin_write()?;
        {
            let mut roots = txn.open_table(ROOTS).map_err(db_err)?;
            let meta = txn.open_table(META).map_err(db_err)?;
            let record = read_root(&roots, root)?;
            check_deletable(root, Self::read_head(&meta)?, record.is_some())?;
            let Some(record) = record else {
                return Err(StoreError::UnknownRoot(*root));
            };
            roots.remove(&root.0).map_err(db_err)?;
            let mut pending = txn.open_table(PENDING).map_err(db_err)?;
            let key = record.top.key.to_bytes();
            let count = match pending.get(&key).map_err(db_err)? {
                None => 0,
                Some(guard) => decode_pending(guard.value())?.1,
            };
            pending
                .insert(key, encode_pending(&record.top.hash, count + 1).as_slice())
                .map_err(db_err)?;
        }
        txn.commit().map_err(db_err)
    }

    fn prune(&self) -> Result<PruneStats, StoreError> {
        let txn = self.begin_write()?;
        let mut stats = PruneStats::default();
        {
            let mut pending = txn.open_table(PENDING).map_err(db_err)?;
            let mut tables = WriteTables::open(&txn)?;
            tables.fold_ref_log()?;
            let mut released = Vec::new();
            for entry in pending.iter().map_err(db_err)? {
                let (k, v) = entry.map_err(db_err)?;
                let (hash, count) = decode_pending(v.value())?;
                released.push((k.value(), hash, count));
            }
            for (key, hash, count) in released {
                let top = ChildRef {
                    hash,
                    key: NodeKey::from_bytes(&key),
                };
                for _ in 0..count {
                    commit::release(&mut tables, &top, &mut stats)?;
                }
                pending.remove(&key).map_err(db_err)?;
            }
        }
        txn.commit().map_err(db_err)?;
        Ok(stats)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let txn = self.db.begin_read().map_err(db_err)?;
        let pending_release = {
            let pending = txn.open_table(PENDING).map_err(db_err)?;
            let mut total = 0;
            for entry in pending.iter().map_err(db_err)? {
                total += decode_pending(entry.map_err(db_err)?.1.value())?.1;
            }
            total
        };
        let len = |table: Result<u64, redb::StorageError>| table.map_err(db_err);
        let file = self.dir.join(DB_FILE);
        Ok(StoreStats {
            retained_roots: len(txn.open_table(ROOTS).map_err(db_err)?.len())?,
            pending_release,
            nodes: len(txn.open_table(NODES).map_err(db_err)?.len())?,
            code_blobs: len(txn.open_table(CODE).map_err(db_err)?.len())?,
            file_bytes: std::fs::metadata(&file).map_err(io_err(&file))?.len(),
        })
    }
}
