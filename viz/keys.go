package viz

import (
	"math"

	"github.com/hsrviz/hsrviz/viz/input"

	"slices"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// keyHelp is the key map, listed in the on-screen help (h).
var keyHelp = [][2]string{
	{"space", "play / pause the trace"},
	{"← →", "step the trace back / forward"},
	{"Home End", "first / last step of the trace"},
	{"− +", "slower / faster"},
	{"[ ]", "threshold b down / up"},
	{"p", "paper threshold b = σ_s·√(0.4 ln n), σ_s measured"},
	{"↑ ↓", "previous / next query row"},
	{"n N", "halve / double n"},
	{"d D", "d down / up"},
	{"k", "switch kind: ReLU^α / softmax top-r"},
	{"i", "cycle index: tree / scan / auto"},
	{"r", "new random seed"},
	{"c", "hide / show the controls"},
	{"t T", "text size up / down (1×, 1.25×, 1.5×, 2×)"},
	{"e", "export: PNGs, data (JSON, CSV), Q K V (.npy)"},
	{"o", "load your own Q, K, V .npy files"},
	{"PgDn PgUp", "lesson: next / previous chapter"},
	{"l", "open the lesson / leave it (free play)"},
	{"h ?", "this help"},
}

// bStep is the threshold nudge of [ and ]: a tenth of a score's standard deviation.
func (a *App) bStep() float64 { return 0.1 * a.p.Sigma * a.p.Sigma }

// handleKeys applies the key map (not while a text field has focus).
func (a *App) handleKeys(in *input.Input) {
	if a.textFocused() {
		return
	}
	for _, k := range in.Keys {
		p := a.p
		switch k {
		case input.KeySpace:
			a.SetPlaying(!a.playing)
			continue
		case input.KeyRight:
			a.StepAnimation(1)
			continue
		case input.KeyLeft:
			a.StepAnimation(-1)
			continue
		case input.KeyHome:
			a.StepAnimation(-1 << 30)
			continue
		case input.KeyEnd:
			a.StepAnimation(1 << 30)
			continue
		case input.KeyMinus:
			p.Speed = math.Max(MinSpeed, p.Speed/1.5)
		case input.KeyPlus:
			p.Speed = math.Min(MaxSpeed, p.Speed*1.5)
		case "[", "]":
			delta := a.bStep()
			if k == "[" {
				delta = -delta
			}
			p.B = math.Round((p.B+delta)*1e6) / 1e6
			p.PaperB, p.Share = false, 0
		case "p":
			p.PaperB, p.Share = true, 0
		case input.KeyUp:
			if a.focusedWidget() != "" {
				continue
			}
			p.Query = (p.Query + p.M - 1) % p.M
		case input.KeyDown:
			if a.focusedWidget() != "" {
				continue
			}
			p.Query = (p.Query + 1) % p.M
		case "n":
			if in.Shift {
				p.N = min(MaxN, p.N*2)
			} else {
				p.N = max(MinN, p.N/2)
			}
		case "N":
			p.N = min(MaxN, p.N*2)
		case "d":
			if in.Shift {
				p.D = min(MaxD, p.D+1)
			} else {
				p.D = max(1, p.D-1)
			}
		case "D":
			p.D = min(MaxD, p.D+1)
		case "k":
			ks := attention.Kinds()
			p.Kind = ks[(slices.Index(ks, p.Kind)+1)%len(ks)]
		case "i":
			ks := hsr.IndexKinds()
			p.Index = ks[(slices.Index(ks, p.Index)+1)%len(ks)]
		case "r":
			p.Seed = p.Seed*6364136223846793005 + 1442695040888963407
			p.Seed %= 1000000
		case "c":
			p.Controls = !p.Controls
		case "t", "T":
			p.Text = nextTextSize(p.Text, textKeyDir(k, in.Shift))
		case "e":
			a.Request(RequestExport)
			continue
		case "o":
			a.Request(RequestOpenFiles)
			continue
		case "h", "?":
			a.ui.help = !a.ui.help
			continue
		case input.KeyEscape:
			a.ui.help = false
			continue
		default:
			continue
		}
		if p != a.p {
			_ = a.SetParams(p) // an out-of-range key press shows its error in the header
		}
	}
}
