package app

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"

	"guatu/internal/platform/files"
)

// openFiles builds the file store in <DataDir>/files. Without a data folder
// (tests that start the app bare) the files go to a temporary folder, made
// at the first upload and removed by Close.
func (a *App) openFiles() error {
	dir := a.Config.DataDir
	if dir == "" {
		var b [8]byte
		rand.Read(b[:])
		a.tempFiles = filepath.Join(os.TempDir(), "guatu-files-"+hex.EncodeToString(b[:]))
		dir = a.tempFiles
	} else {
		dir = filepath.Join(dir, "files")
	}
	disk, err := files.NewDisk(dir)
	if err != nil {
		return err
	}
	a.Files = &files.Files{DB: a.DB, Store: disk, Limit: a.Config.FileLimit}
	a.Work.Files = a.Files
	return nil
}

// dropTempFiles removes the temporary file folder of an app without a data
// folder.
func (a *App) dropTempFiles() {
	if a.tempFiles != "" {
		os.RemoveAll(a.tempFiles)
	}
}
