// Package hugepage gives the Linux kernel advice to back large arrays with
// transparent huge pages (2 MiB instead of 4 KiB).
//
// Why: hsrviz's sketch filter reads, per decode at n = 2^20, ~100,000
// scattered rows (stage-2 codes, then the keys and values of the
// survivors). In 4 KiB pages nearly each row is a TLB miss whose page walk
// the core pays before the row's line can even be requested; with huge
// pages the ~1 GiB of K and V needs ~500 TLB entries, which the second-level
// TLB holds. Measured 7% per decode at one and two threads, 2% for the
// dense path's sequential stream (docs/performance.md).
//
// Contract: advice only. The contents never change, errors (kernels without
// MADV_COLLAPSE, huge pages disabled, other systems) are ignored, and arrays
// under 4 MiB are left alone. Only the whole 2 MiB pages inside an array
// are advised, so memory of other objects is never touched. Cost: Hint is a
// system call; Collapse copies the array's memory into huge pages where the
// kernel finds free ones (~0.1 s per GiB), at once rather than in the
// kernel's background scan.
package hugepage
