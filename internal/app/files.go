package app

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"

	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
)

// Files is the file store of the data folder dataDir: <dataDir>/files, the
// records in d, files up to limit bytes (0: files.DefaultLimit). The server
// keeps its uploads there; the demo its generated photos and PDFs.
func Files(dataDir string, d *db.DB, limit int64) (*files.Files, error) {
	disk, err := files.NewDisk(filepath.Join(dataDir, "files"))
	if err != nil {
		return nil, err
	}
	return &files.Files{DB: d, Store: disk, Limit: limit}, nil
}

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
	}
	f, err := Files(dir, a.DB, a.Config.FileLimit)
	if err != nil {
		return err
	}
	a.Files = f
	a.Work.Files = f
	return nil
}

// dropTempFiles removes the temporary file folder of an app without a data
// folder.
func (a *App) dropTempFiles() {
	if a.tempFiles != "" {
		os.RemoveAll(a.tempFiles)
	}
}
