package ebitenview

import (
	"fmt"
	"os"
	"testing"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

func TestZZGroups(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	p, _ := viz.ParseHash("")
	a, _ := viz.NewApp(p)
	a.Update(input.Input{DT: 1.0 / 60})
	a.Scene(1280, 800)
	a.Settle()
	a.Update(input.Input{DT: 1.0 / 60})
	s := a.Scene(1280, 800)
	fmt.Printf("bg %v\n", s.Background)
	for k, g := range s.Groups {
		fmt.Printf("group %d %.1f,%.1f %.1fx%.1f items %d\n", k, g.X, g.Y, g.W, g.H, g.End-g.Start)
		for i, it := range s.Items[g.Start:g.End] {
			if i > 6 && k != 0 {
				break
			}
			switch x := it.(type) {
			case scene.Raster:
				fmt.Printf("   Raster %.0f,%.0f %.0fx%.0f img %v key %s\n", x.X, x.Y, x.W, x.H, x.Img.Bounds(), x.Key)
			case scene.Polygon:
				fmt.Printf("   Polygon n=%d fill %v\n", len(x.Xs), x.Fill)
			default:
				fmt.Printf("   %+v\n", it)
			}
		}
	}
}
