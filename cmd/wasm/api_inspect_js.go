//go:build js

package main

import (
	"encoding/json"
	"math"
	"syscall/js"
)

// installInspect adds hsrviz.inspect(x, y) to the API: what hovering at
// canvas point (x, y) (CSS pixels, as get().panels) shows, as an object
// {panel, kind, query, key, step, dot, score, weight, dense_weight,
// reported, text}, or null where hovering shows nothing. It is
// viz.App.Inspect, the hit test the tooltip itself uses, on the last
// drawn frame.
func (b *bridge) installInspect(api js.Value) {
	api.Set("inspect", b.fn("inspect", func(args []js.Value) any {
		const usage = "inspect takes two finite numbers, the canvas point in CSS pixels: hsrviz.inspect(x, y)"
		if len(args) != 2 {
			return errString(usage)
		}
		var xy [2]float64
		for i, v := range args {
			if v.Type() != js.TypeNumber || math.IsNaN(v.Float()) || math.IsInf(v.Float(), 0) {
				return errString(usage)
			}
			xy[i] = v.Float()
		}
		in := b.app.Inspect(float32(xy[0]), float32(xy[1]))
		if in == nil {
			return js.Null()
		}
		data, err := json.Marshal(in)
		if err != nil {
			return errString("inspect: " + err.Error())
		}
		return js.Global().Get("JSON").Call("parse", string(data))
	}))
}
