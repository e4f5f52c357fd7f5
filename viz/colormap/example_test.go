package colormap_test

import (
	"fmt"
	"math"

	"github.com/hsrviz/hsrviz/viz/colormap"
)

func ExampleMap_At() {
	v := colormap.Viridis()
	fmt.Println(v.At(0), v.At(1), v.At(math.NaN()) == colormap.NoData)
	// Output: {68 1 84 255} {253 231 37 255} true
}

// A heatmap colours many cells: sample the map once, then look up.
func ExampleMap_LUT() {
	lut := colormap.Magma().LUT(256)
	weights := []float64{0, 0.25, 1}
	for _, w := range weights {
		c := lut.At(w)
		fmt.Printf("#%02x%02x%02x\n", c.R, c.G, c.B)
	}
	// Output:
	// #000004
	// #51127c
	// #fcfdbf
}
