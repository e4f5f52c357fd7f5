package e2e

import (
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserThresholds: on decaying keys at d = 64 the paper's b follows
// the measured spread and reports keys; the share, tau and view controls
// exist, and each changes the snapshot as the native oracle computes it.
func TestBrowserThresholds(t *testing.T) {
	p := openPage(t, "n=4096&d=64&m=16&data=decaying&paper_b=true")
	s := p.snapshot()
	if s.Threshold == nil || s.Threshold.How != "paper" || s.Threshold.B != s.Params.B || !(s.Numbers["reported_total"] > 0) {
		t.Fatalf("paper's b: threshold %+v, b %v, reported %v", s.Threshold, s.Params.B, s.Numbers["reported_total"])
	}
	compareNumbers(t, "paper b", s.Numbers, oracleFor(t, s).Numbers)
	for _, name := range []string{"b", "share", "kind"} {
		if _, err := panelByName(s.Widgets, name); err != nil {
			t.Errorf("control %s: %v", name, err)
		}
	}
	// The scores tab switches panel 6's view (a click, as a user does).
	tab, err := panelByName(s.Tabs, "hist_scores")
	if err != nil {
		t.Fatal(err)
	}
	x, y := float64(tab.X+tab.W/2), float64(tab.Y+tab.H/2)
	p.mouse(chromedp.MouseMoved, x, y, 0)
	p.mouse(chromedp.MousePressed, x, y, 1)
	p.mouse(chromedp.MouseReleased, x, y, 0)
	s = p.waitSettled(`s.params.hist === "scores"`)
	// A share of 5%: with n ≤ 4096 the sample is every key, so the rows
	// report round(0.05·m·n) keys in all.
	if e, null := p.call(`hsrviz.set({share: 0.05})`); !null {
		t.Fatalf("set share: %s", e)
	}
	s = p.waitSettled(`s.params.share === 0.05 && s.threshold && s.threshold.how === "share"`)
	if s.Params.PaperB {
		t.Error("share left paper_b on")
	}
	if got, want := s.Numbers["reported_total"], math.Round(0.05*float64(s.Params.M*s.Params.N)); got != want {
		t.Errorf("share 5%%: %v keys reported in all, want %v", got, want)
	}
	compareNumbers(t, "share", s.Numbers, oracleFor(t, s).Numbers)
	// Softmax keeping every score ≥ b: the certified bound holds.
	if e, null := p.call(`hsrviz.set({kind: "softmax", tau: "paper"})`); !null {
		t.Fatalf("set tau: %s", e)
	}
	s = p.waitSettled(`s.params.tau === "paper" && s.numbers.bound_holds !== undefined && s.kept_mass`)
	if s.Numbers["bound_holds"] != 1 || s.KeptMass == nil || !(s.KeptMass.Mean > 0) {
		t.Errorf("softmax tau=paper: bound holds %v, kept mass %+v", s.Numbers["bound_holds"], s.KeptMass)
	}
	compareNumbers(t, "tau paper", s.Numbers, oracleFor(t, s).Numbers)
	p.screenshot("browser-thresholds.png")
	t.Logf("b = %.4g (%s), kept exp-mass mean %.3g", s.Params.B, s.Threshold.Text, s.KeptMass.Mean)
	p.checkConsoleClean()
}

// TestBrowserBadHashMeasuredB: a link with a bad field and the paper's b
// keeps its address as typed after b is measured (a measurement is not a
// change of the user's).
func TestBrowserBadHashMeasuredB(t *testing.T) {
	const typed = "#n=banana&d=64&data=decaying"
	p := openPage(t, typed[1:])
	s := p.waitSettled(`s.threshold && s.threshold.how === "paper"`)
	if !strings.Contains(s.Error, `n: bad value "banana"`) || !(s.Numbers["reported_total"] > 0) {
		t.Errorf("error %q, reported %v", s.Error, s.Numbers["reported_total"])
	}
	p.waitAnimationFrames(30)
	if h := p.evalFloat(`location.hash === "` + typed + `" ? 1 : 0`); h != 1 {
		t.Error("the address bar was rewritten once b was measured")
	}
	p.checkConsoleClean()
}
