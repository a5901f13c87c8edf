//! Memory that comes back after load. With glibc's allocator (the static build links it), every thread
//! that allocates may get its own arena (up to eight per core), and freed memory stays in the arenas until
//! something trims them: after a burst of submissions the process kept its peak (113 MiB) indefinitely.
//! [`tune`] caps the arenas and fixes the threshold above which blocks are mapped on their own (so large
//! buffers, such as PDFs and uploads' chunks, go back to the kernel when freed); [`trim`] hands free
//! pages of every arena back, and is called by the server every few seconds. Elsewhere (musl, other
//! systems) both do nothing.

/// Arenas: two, one per core of the appliance's usual machine; threads share them beyond that.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;
/// Blocks from 128 KiB up are mapped on their own and unmapped when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Sets the allocator's limits; call once, before threads start.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Returns free memory of every arena to the kernel. Cheap when little is free.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe and only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
