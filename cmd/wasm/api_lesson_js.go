//go:build js

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"syscall/js"

	"github.com/hsrviz/hsrviz/viz"
)

// installLesson adds hsrviz.lesson to the API object:
//
//	hsrviz.lesson()        → {chapters: [{id, title}], current}  (current: index, or -1 in free play)
//	hsrviz.lesson(k)       opens chapter k (from 0) with its parameters; -1 leaves the lesson
//	hsrviz.lesson("tree")  opens the chapter with that id; "" leaves the lesson
//
// An opening call returns the same object as hsrviz.lesson(); a bad
// argument returns an error string (as the other calls do) and changes
// nothing. Leaving keeps the picture.
func (b *bridge) installLesson(api js.Value) {
	const usage = "lesson takes nothing, a chapter number (0…%d, or -1 to leave the lesson) or a chapter id (%s)"
	api.Set("lesson", b.changer("lesson", func(args []js.Value) any {
		chs := viz.LessonChapters()
		ids := ""
		for i, c := range chs {
			if i > 0 {
				ids += ", "
			}
			ids += fmt.Sprintf("%q", c.ID)
		}
		bad := func() any { return errString(fmt.Sprintf(usage, len(chs)-1, ids)) }
		switch {
		case len(args) == 0:
			return b.lessonJS()
		case len(args) > 1:
			return bad()
		}
		v := args[0]
		var err error
		switch v.Type() {
		case js.TypeNumber:
			f := v.Float()
			if f != math.Trunc(f) || math.Abs(f) > 1e9 {
				return bad()
			}
			err = b.app.OpenLesson(int(f))
		case js.TypeString:
			err = b.app.OpenLessonID(v.String())
		default:
			return bad()
		}
		if err != nil {
			return errString(err.Error())
		}
		b.syncHash()
		return b.lessonJS()
	}))
}

// lessonJS is {chapters: [{id, title}], current}.
func (b *bridge) lessonJS() any {
	data, err := json.Marshal(struct {
		Chapters []viz.ChapterInfo `json:"chapters"`
		Current  int               `json:"current"`
	}{viz.LessonChapters(), b.app.LessonIndex()})
	if err != nil {
		return errString("lesson: " + err.Error())
	}
	return js.Global().Get("JSON").Call("parse", string(data))
}
