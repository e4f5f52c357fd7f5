//go:build js

package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

// The export and load part of window.hsrviz (viz/export.go, viz/custom.go
// hold the Go side):
//
//	hsrviz.exportPNG(panel?)  → Promise of "data:image/png;base64,…"
//	hsrviz.exportData()       → {params, hash, data, numbers, rows, hsrattn} (or an error string)
//	hsrviz.load({q, k, v})    → Promise resolved once the files are shown
//	hsrviz.load([{name, data}, …]) the same, Q, K, V told apart by name
//
// and the buttons' requests: the export button downloads one .zip, copy
// link writes the URL to the clipboard, load .npy opens the page's file
// dialog (index.html's hsrvizPickFiles).

// ioBridge is the state of the pending promises.
type ioBridge struct {
	pngs []pngRequest
	load *loadRequest
}

type pngRequest struct {
	panel           string
	resolve, reject js.Value
}

type loadRequest struct {
	t               *viz.Tensors
	prev            viz.Params
	resolve, reject js.Value
}

// jsError is a JavaScript Error with msg.
func jsError(msg string) js.Value { return js.Global().Get("Error").New(msg) }

// newPromise returns a Promise and its resolve and reject functions.
func newPromise() (p, resolve, reject js.Value) {
	exec := js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	p = js.Global().Get("Promise").New(exec)
	exec.Release()
	return p, resolve, reject
}

// rejected is a Promise rejected with an Error of msg.
func rejected(msg string) js.Value {
	p, _, reject := newPromise()
	reject.Invoke(jsError(msg))
	return p
}

// installIO adds exportPNG, exportData and load to window.hsrviz and
// chains the frame hooks that answer them. Called at the end of install.
func (b *bridge) installIO() {
	io := &ioBridge{}
	b.api.Set("exportPNG", b.changer("exportPNG", func(args []js.Value) any {
		name := ""
		switch {
		case len(args) > 1:
			return rejected("exportPNG takes at most one panel name")
		case len(args) == 1 && args[0].Type() == js.TypeString:
			name = args[0].String()
		case len(args) == 1 && !args[0].IsUndefined() && !args[0].IsNull():
			return rejected("exportPNG takes a panel name (a string) or nothing for the whole view")
		}
		if _, err := b.app.PanelRegion(name); err != nil {
			return rejected(err.Error())
		}
		p, resolve, reject := newPromise()
		io.pngs = append(io.pngs, pngRequest{name, resolve, reject})
		return p
	}))
	b.api.Set("exportData", b.fn("exportData", func(args []js.Value) any {
		if len(args) != 0 {
			return errString("exportData takes no arguments")
		}
		e, err := b.app.ExportData()
		if err != nil {
			return errString("exportData: " + err.Error())
		}
		data, err := json.Marshal(e)
		if err != nil {
			return errString("exportData: " + err.Error())
		}
		return js.Global().Get("JSON").Call("parse", string(data))
	}))
	b.api.Set("load", b.changer("load", func(args []js.Value) any {
		q, k, v, names, err := loadArgs(args)
		if err != nil {
			b.app.ShowError("load: " + err.Error())
			return rejected("load: " + err.Error())
		}
		prev := b.app.Params()
		t, err := b.app.LoadNPY(q, k, v, names)
		if err != nil {
			return rejected(err.Error())
		}
		if io.load != nil {
			io.load.reject.Invoke(jsError("load: replaced by a newer load"))
		}
		p, resolve, reject := newPromise()
		io.load = &loadRequest{t: t, prev: prev, resolve: resolve, reject: reject}
		b.syncHash()
		return p
	}))

	prevUpdate := b.game.AfterUpdate
	b.game.AfterUpdate = func() {
		if prevUpdate != nil {
			prevUpdate()
		}
		if l := io.load; l != nil {
			done, err := b.app.LoadState(l.t)
			switch {
			case err != nil:
				io.load = nil
				if b.app.Tensors() == l.t && b.app.Params().Data.String() == "custom" {
					// The engine refused the files: back to the picture before.
					_ = b.app.SetParams(l.prev)
					b.app.ShowError(err.Error())
					b.syncHash()
				}
				l.reject.Invoke(jsError(err.Error()))
			case done:
				io.load = nil
				l.resolve.Invoke(b.snapshotJS())
			}
		}
	}
	prevKeep := b.game.KeepAwake
	b.game.KeepAwake = func() bool {
		return len(io.pngs) > 0 || io.load != nil || b.app.PendingRequests() > 0 || (prevKeep != nil && prevKeep())
	}
	prevDraw := b.game.AfterDraw
	b.game.AfterDraw = func(frame int, screen *ebiten.Image) {
		if prevDraw != nil {
			prevDraw(frame, screen)
		}
		reqs := b.app.TakeRequests()
		if len(io.pngs) == 0 && len(reqs) == 0 {
			return
		}
		pixels := ebitenview.Pixels(screen)
		scale := b.game.Scale()
		for _, r := range io.pngs {
			reg, err := b.app.PanelRegion(r.panel)
			var png []byte
			if err == nil {
				png, err = viz.CropPNG(pixels(), scale, reg)
			}
			if err != nil {
				r.reject.Invoke(jsError(err.Error()))
				continue
			}
			r.resolve.Invoke("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
		io.pngs = nil
		for _, r := range reqs {
			switch r {
			case viz.RequestExport:
				b.exportZip(pixels(), scale)
			case viz.RequestCopyLink:
				b.copyLink()
			case viz.RequestOpenFiles:
				if f := js.Global().Get("hsrvizPickFiles"); f.Type() == js.TypeFunction {
					f.Invoke()
				}
			}
		}
	}
}

// exportZip downloads every export file as one .zip.
func (b *bridge) exportZip(frame *image.RGBA, scale float64) {
	files, err := b.app.ExportFiles(frame, scale)
	var zip []byte
	if err == nil {
		zip, err = viz.Zip(files)
	}
	if err != nil {
		b.app.ShowError("export: " + err.Error())
		return
	}
	p := b.app.Params()
	name := fmt.Sprintf("hsrviz-%s-n%d-d%d-%s.zip", p.Data, p.N, p.D, p.Kind)
	download(name, zip, "application/zip")
	b.app.SetStatus(fmt.Sprintf("downloaded %s (%d files, %d KB)", name, len(files), (len(zip)+1023)/1024))
}

// revokeAfterMs is how long a download's blob stays alive.
const revokeAfterMs = 10000

// download hands data to the browser as a file download.
func download(name string, data []byte, mime string) {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	blob := js.Global().Get("Blob").New([]any{u8}, map[string]any{"type": mime})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	doc := js.Global().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	// The browser reads the blob when the click starts the download;
	// after revokeAfterMs it is released (a page exporting several times
	// must not keep every zip).
	js.Global().Call("setTimeout", revoke, revokeAfterMs)
	// For tests and scripts: what was offered last, when, and when its
	// blob is released (performance.now() milliseconds).
	at := now()
	js.Global().Set("hsrvizLastDownload", map[string]any{"name": name, "bytes": len(data), "at": at, "released": at + revokeAfterMs})
}

// copyLink writes the page's link to the clipboard.
func (b *bridge) copyLink() {
	b.syncHash()
	href := js.Global().Get("location").Get("href").String()
	note := ""
	if t := b.app.Params(); t.Data.String() == "custom" {
		note = " (it cannot carry your files)"
	}
	// done and fallback run with the game locked: called from AfterDraw,
	// or from a promise callback through game.Do.
	done := func(ok bool, why string) {
		if ok {
			b.app.SetStatus("link copied" + note)
		} else {
			b.app.ShowError("could not copy the link (" + why + "); copy it from the address bar")
		}
		b.game.Wake()
	}
	js.Global().Set("hsrvizLastLink", href)
	// The old way, for pages without the Clipboard API or whose write it
	// refuses (no focus): a selected text area and the copy command.
	fallback := func(why string) {
		doc := js.Global().Get("document")
		ta := doc.Call("createElement", "textarea")
		ta.Set("value", href)
		ta.Get("style").Set("cssText", "position:fixed;top:0;left:0;opacity:0")
		doc.Get("body").Call("appendChild", ta)
		ta.Call("select")
		ok := doc.Call("execCommand", "copy").Truthy()
		ta.Call("remove")
		done(ok, why)
	}
	cb := js.Global().Get("navigator").Get("clipboard")
	if cb.Type() != js.TypeObject || cb.Get("writeText").Type() != js.TypeFunction {
		fallback("this page has no clipboard access")
		return
	}
	var ok, fail js.Func
	ok = js.FuncOf(func(js.Value, []js.Value) any {
		go b.game.Do(func() { done(true, "") })
		ok.Release()
		fail.Release()
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		why := "refused"
		if len(args) > 0 && args[0].Type() == js.TypeObject {
			why = args[0].Get("message").String()
		}
		go b.game.Do(func() { fallback(why) })
		ok.Release()
		fail.Release()
		return nil
	})
	cb.Call("writeText", href).Call("then", ok, fail)
}

// loadArgs reads hsrviz.load's argument: {q, k, v, names?} with
// ArrayBuffers or Uint8Arrays, or an array of {name, data} (dropped or
// picked files, told apart by name).
func loadArgs(args []js.Value) (q, k, v []byte, names [3]string, err error) {
	usage := "load takes {q, k, v} (ArrayBuffers or Uint8Arrays holding .npy files; v optional) or an array of {name, data}"
	if len(args) != 1 || args[0].Type() != js.TypeObject {
		return nil, nil, nil, names, fmt.Errorf("%s", usage)
	}
	arg := args[0]
	bytesOf := func(x js.Value, what string) ([]byte, error) {
		switch {
		case x.IsUndefined() || x.IsNull():
			return nil, nil
		case x.InstanceOf(js.Global().Get("ArrayBuffer")):
			x = js.Global().Get("Uint8Array").New(x)
		case x.InstanceOf(js.Global().Get("Uint8Array")):
		default:
			return nil, fmt.Errorf("%s must be an ArrayBuffer or a Uint8Array holding a .npy file", what)
		}
		out := make([]byte, x.Get("length").Int())
		js.CopyBytesToGo(out, x)
		return out, nil
	}
	if js.Global().Get("Array").Call("isArray", arg).Bool() {
		n := arg.Length()
		files := make([]string, n)
		for i := 0; i < n; i++ {
			if arg.Index(i).Type() != js.TypeObject || arg.Index(i).Get("name").Type() != js.TypeString {
				return nil, nil, nil, names, fmt.Errorf("%s", usage)
			}
			files[i] = arg.Index(i).Get("name").String()
		}
		iq, ik, iv, err := viz.ClassifyNPY(files)
		if err != nil {
			return nil, nil, nil, names, err
		}
		get := func(i int) ([]byte, string, error) {
			if i < 0 {
				return nil, "", nil
			}
			b, err := bytesOf(arg.Index(i).Get("data"), files[i])
			return b, files[i], err
		}
		if q, names[0], err = get(iq); err == nil {
			if k, names[1], err = get(ik); err == nil {
				v, names[2], err = get(iv)
			}
		}
		return q, k, v, names, err
	}
	if nm := arg.Get("names"); nm.Type() == js.TypeObject {
		for i, key := range []string{"q", "k", "v"} {
			if s := nm.Get(key); s.Type() == js.TypeString {
				names[i] = s.String()
			}
		}
	}
	for _, key := range strings.Split(js.Global().Get("Object").Call("keys", arg).Call("join", ",").String(), ",") {
		if key != "" && key != "q" && key != "k" && key != "v" && key != "names" {
			return nil, nil, nil, names, fmt.Errorf("unknown field %q (%s)", key, usage)
		}
	}
	if q, err = bytesOf(arg.Get("q"), "q"); err == nil {
		if k, err = bytesOf(arg.Get("k"), "k"); err == nil {
			v, err = bytesOf(arg.Get("v"), "v")
		}
	}
	return q, k, v, names, err
}
