// Package colormap turns numbers into colours for the heatmaps and the tree
// view: perceptual sequential maps (Viridis, Magma: the CC0 matplotlib
// tables), a diverging map (CoolWarm, after Moreland, for signed scores and
// errors) and a colour-blind-safe categorical palette (Okabe–Ito) with one
// colour per tree decision (pruned / reported whole / opened / leaf scanned).
//
// Maps blend between their stops in OkLab (go-colorful), where equal steps
// look like equal steps, so the 256 table entries or the three diverging
// stops give smooth colours for any t. Map.At clamps t to [0, 1] and maps
// NaN to the documented NoData grey.
//
// Cost: Map.At is O(1) but converts OkLab to sRGB (a few cube roots and
// powers, ~100 ns). For a heatmap of many cells, build a LUT once (Map.LUT,
// O(n) At calls) and look up colours in O(1) with no floating-point
// conversion.
package colormap
