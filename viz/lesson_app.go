package viz

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hsrviz/hsrviz/assets"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/lesson"
)

// The guided lesson (assets/lessons, parsed by viz/lesson): Params.Lesson
// names the open chapter. Opening a chapter applies its set line on top of
// DefaultParams (keeping controls, panel and freeze), so chapter k always
// opens on the same picture whatever came before; a link or patch that
// names a chapter gets the chapter first and its own other fields over it
// (withChapter), so a full link reproduces a changed picture inside a
// chapter exactly. Leaving the lesson keeps the picture.

// chapterSet is the shipped chapters, loaded and checked once.
var chapterSet struct {
	once sync.Once
	chs  []lesson.Chapter
	err  error
}

// Chapters returns the lesson's chapters in order, each checked: its set
// line must be valid parameters and its panel a panel name. A malformed
// chapter is an error naming the file and the line (the lesson is then
// unavailable, the rest of the app works).
func Chapters() ([]lesson.Chapter, error) {
	chapterSet.once.Do(func() {
		chs, err := lesson.Load(assets.Lessons(), assets.LessonsDir)
		if err == nil {
			err = checkChapters(chs)
		}
		if err != nil {
			chapterSet.err = fmt.Errorf("lesson: %w", err)
			return
		}
		chapterSet.chs = chs
	})
	return chapterSet.chs, chapterSet.err
}

// lessonFields are the fields a chapter's set line may not name: they are
// the embedding's, not the picture's.
var lessonFields = []string{"lesson", "panel", "freeze", "controls"}

// checkChapters checks what package lesson cannot: the set lines against
// Params, the panel names against the panels.
func checkChapters(chs []lesson.Chapter) error {
	for _, c := range chs {
		file := assets.LessonsDir + "/" + c.File
		for _, f := range c.Set {
			if oneOf(f.Key, lessonFields) {
				return &lesson.Error{File: file, Line: c.SetLine, Msg: fmt.Sprintf("set: %q is not a picture parameter (a link sets it, not a chapter)", f.Key)}
			}
		}
		if _, err := PatchHash(DefaultParams(), c.SetString()); err != nil {
			return &lesson.Error{File: file, Line: c.SetLine, Msg: "set: " + strings.TrimPrefix(err.Error(), "hash: ")}
		}
		if !oneOf(c.Panel, allPanelNames()) {
			return &lesson.Error{File: file, Line: c.PanelLine, Msg: fmt.Sprintf("panel: unknown panel %q (panels: %s)", c.Panel, strings.Join(allPanelNames(), ", "))}
		}
	}
	return nil
}

// allPanelNames is the names of newPanels, in order.
var allPanelNames = sync.OnceValue(func() []string {
	var out []string
	for _, pn := range newPanels() {
		out = append(out, pn.name())
	}
	return out
})

// chapterIndex is the index of the chapter with that id, or -1.
func chapterIndex(id string) int {
	chs, _ := Chapters()
	for i, c := range chs {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func chapterIDs() string {
	chs, err := Chapters()
	if err != nil {
		return err.Error()
	}
	ids := make([]string, len(chs))
	for i, c := range chs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// setLessonField parses the lesson and panel fields.
func (p *Params) setLessonField(k, v string) error {
	switch {
	case k == "lesson" && v != "" && chapterIndex(v) < 0:
		return fmt.Errorf("lesson: unknown chapter %q (chapters: %s; empty = free play)", v, chapterIDs())
	case k == "panel" && v != "" && !oneOf(v, allPanelNames()):
		return fmt.Errorf("panel: unknown panel %q (panels: %s; empty = all)", v, strings.Join(allPanelNames(), ", "))
	case k == "lesson":
		p.Lesson = v
	default:
		p.Panel = v
	}
	return nil
}

// validateLesson is Validate's part for the lesson and panel fields.
func (p Params) validateLesson() error {
	q := p
	if err := q.setLessonField("lesson", p.Lesson); err != nil {
		return err
	}
	return q.setLessonField("panel", p.Panel)
}

// withChapter returns the parameters of chapter id opened from base: the
// chapter's set line over DefaultParams, with base's controls, panel and
// freeze. An unknown id, "" or base's own chapter give base unchanged.
func withChapter(base Params, id string) Params {
	i := chapterIndex(id)
	if id == "" || id == base.Lesson || i < 0 {
		return base
	}
	chs, _ := Chapters()
	p := DefaultParams()
	p.Controls, p.Panel, p.Freeze = base.Controls, base.Panel, base.Freeze
	p, err := PatchHash(p, chs[i].SetString())
	if err != nil {
		return base // checkChapters refused it already: not reached
	}
	p.Lesson = id
	return p
}

// ChapterInfo is a chapter as the JS API lists it.
type ChapterInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// LessonChapters lists the chapters (nil if the lesson failed to load).
func LessonChapters() []ChapterInfo {
	chs, _ := Chapters()
	out := make([]ChapterInfo, len(chs))
	for i, c := range chs {
		out[i] = ChapterInfo{c.ID, c.Title}
	}
	return out
}

// LessonIndex is the open chapter's index, or -1 in free play.
func (a *App) LessonIndex() int {
	if a.p.Lesson == "" {
		return -1
	}
	return chapterIndex(a.p.Lesson)
}

// OpenLesson opens chapter k (from 0) with its parameters, or leaves the
// lesson for free play when k is -1 (the picture stays). Any other k is
// an error naming the range; nothing changes then.
func (a *App) OpenLesson(k int) error {
	chs, err := Chapters()
	if err != nil {
		return err
	}
	if k < -1 || k >= len(chs) {
		return fmt.Errorf("lesson: chapter %d does not exist (0…%d, or -1 to leave the lesson)", k, len(chs)-1)
	}
	p := a.p
	if k == -1 {
		p.Lesson = ""
	} else {
		p.Lesson = "" // reopening the open chapter resets it to its parameters
		p = withChapter(p, chs[k].ID)
	}
	return a.SetParams(p)
}

// OpenLessonID opens the chapter with that id ("" leaves the lesson).
func (a *App) OpenLessonID(id string) error {
	if id == "" {
		return a.OpenLesson(-1)
	}
	i := chapterIndex(id)
	if i < 0 {
		return fmt.Errorf("lesson: unknown chapter %q (chapters: %s)", id, chapterIDs())
	}
	return a.OpenLesson(i)
}

// lessonStep moves delta chapters (Next/Back), staying within the lesson;
// from free play, Next opens the first chapter.
func (a *App) lessonStep(delta int) {
	chs, err := Chapters()
	if err != nil {
		a.errMsg = err.Error()
		return
	}
	k := a.LessonIndex()
	switch {
	case k < 0 && delta > 0:
		k = 0
	case k < 0:
		return
	default:
		k = max(0, min(len(chs)-1, k+delta))
		if k == a.LessonIndex() {
			return
		}
	}
	_ = a.OpenLesson(k)
}

// LessonState is the lesson in Snapshot: the open chapter (Current -1 in
// free play), how many there are, and the panel marked (the others are
// dimmed).
type LessonState struct {
	Current int    `json:"current"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Count   int    `json:"count"`
	Panel   string `json:"panel"` // the highlighted panel, "" when none
}

func (a *App) lessonState() LessonState {
	chs, _ := Chapters()
	s := LessonState{Current: a.LessonIndex(), Count: len(chs)}
	if s.Current >= 0 {
		c := chs[s.Current]
		s.ID, s.Title, s.Panel = c.ID, c.Title, c.Panel
	}
	return s
}

// Lesson keys: PageDown / PageUp (what a presenter's clicker sends) move
// between chapters; l opens the lesson or leaves it.
func (a *App) handleLessonKeys(in *input.Input) {
	for _, k := range in.Keys {
		switch k {
		case input.KeyPageDown:
			a.lessonStep(1)
		case input.KeyPageUp:
			a.lessonStep(-1)
		case "l":
			if a.p.Freeze {
				continue
			}
			if a.LessonIndex() >= 0 {
				_ = a.OpenLesson(-1)
			} else {
				a.lessonStep(1)
			}
		}
	}
}

// PanelNames lists the panels' names in order (the values of Params.Panel).
func PanelNames() []string { return append([]string(nil), allPanelNames()...) }
