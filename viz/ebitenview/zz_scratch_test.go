package ebitenview

import (
	"fmt"
	"os"
	"testing"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

func TestZZDragDirty(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	for _, hash := range []string{"", "n=16384&d=64&m=64"} {
		p, _ := viz.ParseHash(hash)
		a, _ := viz.NewApp(p)
		in := input.Input{DT: 1.0 / 60}
		a.Update(in)
		a.Scene(1280, 800)
		a.Settle()
		a.Update(in)
		prev := a.Scene(1280, 800)
		var w viz.Region
		for _, r := range a.Snapshot().Widgets {
			if r.Name == "b" {
				w = r
			}
		}
		y := w.Y + w.H/2
		names := []string{}
		for _, r := range a.Snapshot().Panels {
			names = append(names, r.Name)
		}
		fmt.Println(hash, "panels", names, "groups", len(prev.Groups))
		for i := 0; i < 12; i++ {
			x := w.X + w.W*(0.2+0.05*float32(i))
			a.Update(input.Input{DT: 1.0 / 30, Pointers: []input.Pointer{{X: x, Y: y, Down: true}}})
			s := a.Scene(1280, 800)
			plan := planRedraw(prev, s, true, 1, nil, nil)
			area := 0
			desc := ""
			for _, rc := range plan.regions {
				area += rc.Dx() * rc.Dy()
				desc += fmt.Sprintf(" %v", rc)
			}
			fmt.Printf("b=%.3f full=%v dirty area %d px:%s\n", a.Params().B, plan.full, area, desc)
			prev = s
		}
	}
	_ = scene.Rect{}
}

func TestZZTree(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	p, _ := viz.ParseHash("")
	a, _ := viz.NewApp(p)
	a.Update(input.Input{DT: 1.0 / 60})
	a.Scene(1280, 800)
	a.Settle()
	a.Update(input.Input{DT: 1.0 / 60})
	prev := a.Scene(1280, 800)
	var w viz.Region
	for _, r := range a.Snapshot().Widgets {
		if r.Name == "b" {
			w = r
		}
	}
	y := w.Y + w.H/2
	for i := 0; i < 3; i++ {
		x := w.X + w.W*(0.3+0.05*float32(i))
		a.Update(input.Input{DT: 1.0 / 30, Pointers: []input.Pointer{{X: x, Y: y, Down: true}}})
		s := a.Scene(1280, 800)
		g, pg := s.Groups[1], prev.Groups[1]
		pa, ca := prev.Items[pg.Start:pg.End], s.Items[g.Start:g.End]
		fmt.Println("tree items", len(pa), len(ca))
		if len(pa) == len(ca) {
			for i := range pa {
				if !itemEqual(pa[i], ca[i]) {
					rb, _ := itemBounds(ca[i], 1)
					fmt.Printf("  %d %T %v\n", i, ca[i], rb)
				}
			}
		}
		prev = s
	}
}
