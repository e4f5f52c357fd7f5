// Package plot draws small scientific charts as scene items inside a given
// rectangle: axes with "nice" ticks (Heckbert's nice numbers on linear axes,
// powers of ten on log10 axes), an XY plot of series (points and lines) on
// linear or log-log axes with a least-squares power-law fit whose slope is
// printed in the legend, reference lines of a given slope (e.g. "theory:
// slope 4/5"), and a histogram with labelled vertical marks.
//
// Every label is measured with scene.TextWidth, margins are sized from the
// labels, and tick labels are thinned until they do not collide, so nothing
// spills out of the rectangle (tested).
//
// Cost: O(points + bins + ticks) scene items per Draw.
package plot
