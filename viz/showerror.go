package viz

// ShowError puts a message from the platform layer (a bad URL hash, a
// recovered panic) in the app's error line and Snapshot.Error, as a bad
// parameter does; the next successful parameter change clears it.
func (a *App) ShowError(msg string) { a.errMsg = msg }
