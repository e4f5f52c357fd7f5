package viz

import (
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// notePanel is a panel written the way a newcomer adds one: a type with a
// name, a title and a draw method (here it shows the selected query's
// count from the shared results).
type notePanel struct{ draws int }

func (*notePanel) name() string  { return "note" }
func (*notePanel) title() string { return "A note" }
func (np *notePanel) draw(a *App, p painter, r rect, title string) {
	np.draws++
	body := p.panelFrame(r, title, "the selected query")
	if a.sum != nil {
		p.text(body.X, body.Y, fmtInt(a.sum.counts[a.p.Query])+" keys", sizeLabel, colText, scene.AlignLeft)
	}
}

// Adding a panel is its type plus one entry in the list: the layout finds
// it a place beside the others at every window size, numbers its title,
// lists it in the snapshot and draws it in its own group.
func TestAddingAPanel(t *testing.T) {
	a := settled(t, "n=1024&d=2&m=8")
	np := &notePanel{}
	a.panels = append(a.panels, np) // the one line (newPanels, in the app)
	for _, sz := range [][2]int{{1280, 800}, {1920, 1080}, {800, 1200}, {390, 844}} {
		s := a.Scene(sz[0], sz[1])
		ps := a.Snapshot().Panels
		var got *Region
		for i := range ps {
			if ps[i].Name == "note" {
				got = &ps[i]
			}
			for _, o := range ps[i+1:] {
				if (rect{ps[i].X, ps[i].Y, ps[i].W, ps[i].H}).overlaps(rect{o.X, o.Y, o.W, o.H}) {
					t.Errorf("%v: panels %s and %s overlap", sz, ps[i].Name, o.Name)
				}
			}
		}
		if got == nil || got.W < 100 || got.H < 100 {
			t.Fatalf("%v: the new panel has no room: %+v", sz, got)
		}
		if !a.ui.lay.narrow && got.Y+got.H > float32(sz[1]) {
			t.Errorf("%v: the new panel is below the window: %+v", sz, got)
		}
		found := false
		for _, it := range s.Items {
			if tx, ok := it.(scene.Text); ok && strings.HasPrefix(tx.S, "7 · A note") {
				found = true
			}
		}
		if !found {
			t.Errorf("%v: no title \"7 · A note\" drawn", sz)
		}
	}
	if np.draws == 0 {
		t.Fatal("the new panel was never drawn")
	}
}
