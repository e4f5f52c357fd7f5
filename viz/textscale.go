package viz

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hsrviz/hsrviz/viz/widget"
)

// The text-size setting (Params.Text, the "text size" control, the keys t
// and T): every text of the scene is drawn at its size times the scale, and
// every measurement the layouts make (textWidth, lineHeight, the widgets'
// theme, the header's and the control column's sizes) uses the scaled size,
// so the panels lay themselves out around the larger text rather than
// overflowing.
//
// Choice: the scale is a package variable, set by App.Scene (and the input
// handling that lays out the controls) from the App's Params before it
// measures anything. Both apps run one App per process and drawing is
// single-threaded, so this keeps the many textWidth(s, size) calls of the
// panels unchanged; two Apps drawing at once in one process would share it.

// Limits of Params.Text.
const (
	MinText = 0.75
	MaxText = 3.0
)

// TextSizes are the choices of the "text size" control and of the t key.
var TextSizes = []float64{1, 1.25, 1.5, 2}

// textScale is the scale of the App drawing now (see above).
var textScale float32 = 1

// useTextScale makes s (Params.Text) the scale of what is measured and
// drawn from now on.
func useTextScale(s float64) {
	if !(s >= MinText && s <= MaxText) {
		s = 1
	}
	textScale = float32(s)
}

// scaled is a layout length that grows with the text (a header that holds
// one line of title text, a column of labelled widgets).
func scaled(x float32) float32 { return x * textScale }

// nextTextSize is the text-size choice after s (dir = +1) or before it
// (dir = −1), cycling.
func nextTextSize(s float64, dir int) float64 {
	k := len(TextSizes)
	i := 0
	for j, v := range TextSizes {
		if math.Abs(v-s) < 1e-9 {
			i = j
			break
		}
		if v < s {
			i = j
		}
	}
	return TextSizes[((i+dir)%k+k)%k]
}

// textSizeOptions are the select widget's option labels.
func textSizeOptions() []string {
	out := make([]string, len(TextSizes))
	for i, v := range TextSizes {
		out[i] = fmtTextSize(v)
	}
	return out
}

func fmtTextSize(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) + "×" }

// parseTextSize reads a select option back ("1.5×").
func parseTextSize(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "×"), 64)
	if err != nil {
		return 0, fmt.Errorf("text size %q is not a number", s)
	}
	return v, nil
}

// newTextSizeSelect is the "text size" control.
func newTextSizeSelect() *widget.Select {
	return &widget.Select{Base: widget.Base{Name: "text", Label: "text size (t)"}, Options: textSizeOptions()}
}

// syncText shows the text scale s in the control (a scale from a link that
// is not one of the choices is added to them) and sizes the widgets' text.
func (c *controls) syncText(s float64) {
	c.theme.TextSize = 12 * textScale
	if c.text.Open {
		return
	}
	if !c.text.SetValue(fmtTextSize(s)) {
		c.text.Options = append(textSizeOptions(), fmtTextSize(s))
		c.text.SetValue(fmtTextSize(s))
	}
}
