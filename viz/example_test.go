package viz_test

import (
	"fmt"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// An App computed to completion, its numbers, and a frame rasterised in
// software (what the Ebiten layer does with real pixels).
func Example() {
	p, err := viz.ParseHash("n=1024&d=2&m=4&seed=3")
	if err != nil {
		panic(err)
	}
	app, err := viz.NewApp(p)
	if err != nil {
		panic(err)
	}
	app.Settle()
	s := app.Snapshot()
	fmt.Println(s.Ready, s.Busy, s.Numbers["exact"], s.Numbers["dots_dense"])
	img := scene.Rasterize(app.Scene(1280, 800))
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Changing b keeps the index.
	builds := app.IndexBuilds()
	_ = app.SetParamsJSON([]byte(`{"b": 1.2}`))
	app.Settle()
	fmt.Println(app.IndexBuilds() == builds)
	// Output:
	// true false 1 4096
	// 1280 800
	// true
}
