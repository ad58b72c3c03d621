// Package repocheck holds tests of the repository itself rather than of the
// program: no file tracked by git is larger than 2 MB outside
// web/static/vendor, so build outputs, databases and data dumps stay out of
// the history (a 31 MB binary was committed once). It has no code; its tests
// run with go test ./....
package repocheck
