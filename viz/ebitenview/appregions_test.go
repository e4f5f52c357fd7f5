package ebitenview

import (
	"fmt"
	"image"
	"testing"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// TestPlanRedrawAppFrames: the regions planned between consecutive frames
// of the real app cover every pixel that changed (both frames painted by
// the software twin of the renderer), while b is dragged with the trace
// playing (issue 11's measurement) and while the trace plays alone, and
// the tree panel, which repainted ~74 % of its pixels a frame while b was
// dragged, repaints well under half of them (mean over the frames).
func TestPlanRedrawAppFrames(t *testing.T) {
	const W, H = 1280, 800
	for _, c := range []struct {
		name     string
		hash     string
		drag     bool
		maxShare float64 // the tree panel's repainted share, mean over the frames
	}{
		{"drag b, defaults", "", true, 0.5},
		{"trace playing, defaults", "", false, 0.5},
		{"drag b, d=8", "d=8&n=2048", true, 0.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := viz.ParseHash(c.hash)
			if err != nil {
				t.Fatal(err)
			}
			a, err := viz.NewApp(p)
			if err != nil {
				t.Fatal(err)
			}
			a.Settle()
			a.SetPlaying(true)
			var prev *scene.Scene
			var prevPix *image.RGBA
			tree := -1
			var share float64
			n, nr, all := 0, 0, 0
			for f := 0; f < 24; f++ {
				if c.drag {
					// back and forth, a few pixels of the slider a frame
					b := 0.8 + 0.013*float64(min(f%16, 16-f%16))
					if err := a.SetParamsJSON([]byte(fmt.Sprintf(`{"b":%g}`, b))); err != nil {
						t.Fatal(err)
					}
				}
				a.Update(input.Input{DT: 1.0 / 12})
				cur := a.Scene(W, H)
				pix := scene.RasterizeScaled(cur, 1)
				if prev != nil {
					plan := planRedraw(prev, cur, true, 1, nil, nil)
					if plan.full {
						t.Fatalf("frame %d: a full redraw", f)
					}
					checkCovered(t, f, prevPix, pix, plan.regions)
					if tree < 0 {
						tree = treeGroup(t, a, cur)
					}
					gr := groupRect(cur.Groups[tree], 1)
					px := 0
					for _, rc := range plan.regions {
						px += area(rc.Intersect(gr))
					}
					share += float64(px) / float64(area(gr))
					nr += len(plan.regions)
					for _, rc := range plan.regions {
						all += area(rc)
					}
					n++
				}
				// the app may reuse a scene's storage two frames later
				prev, prevPix = cloneScene(cur), pix
			}
			share /= float64(n)
			t.Logf("tree panel: %.0f %% of its pixels repainted a frame; the frame: %.1f regions, %d pixels (means of %d frames)",
				100*share, float64(nr)/float64(n), all/n, n)
			if share > c.maxShare {
				t.Errorf("tree panel repaints %.0f %% of its pixels a frame, want ≤ %.0f %%", 100*share, 100*c.maxShare)
			}
		})
	}
}

// checkCovered fails for a pixel that differs between a and b outside rs.
func checkCovered(t *testing.T, f int, a, b *image.RGBA, rs []image.Rectangle) {
	t.Helper()
	if out := uncovered(a, b, rs); !out.Empty() {
		t.Errorf("frame %d: pixels in %v changed outside the regions %v", f, out, rs)
	}
}

// uncovered is the bounding box of the pixels that differ between a and
// b outside every region of rs (empty: rs covers every change).
func uncovered(a, b *image.RGBA, rs []image.Rectangle) image.Rectangle {
	var out image.Rectangle
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) == b.RGBAAt(x, y) {
				continue
			}
			in := false
			for _, rc := range rs {
				in = in || image.Pt(x, y).In(rc)
			}
			if !in {
				out = out.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return out
}

// treeGroup is the index of the tree panel's group.
func treeGroup(t *testing.T, a *viz.App, s *scene.Scene) int {
	t.Helper()
	r, err := a.PanelRegion(viz.PanelTree)
	if err != nil {
		t.Fatal(err)
	}
	for k, g := range s.Groups {
		if g.X == float32(r.X) && g.Y == float32(r.Y) {
			return k
		}
	}
	t.Fatalf("no group at the tree panel's place %+v", r)
	return -1
}

func cloneScene(s *scene.Scene) *scene.Scene {
	c := *s
	c.Items = append([]scene.Item(nil), s.Items...)
	c.Groups = append([]scene.Group(nil), s.Groups...)
	return &c
}
