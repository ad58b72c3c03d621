// Command loginflood floods a real guatu server with sign-ins and measures
// what it costs: it builds and starts "guatu serve --demo" on a fresh data
// folder, signs the demo administrator in once (so its address is known),
// then sends -n POST /login with unknown logins and wrong passwords, -c at
// a time, from -sources loopback addresses (127.0.0.2, …), while reading
// the server's resident memory from /proc every 20 ms. Midway the
// administrator signs in again from 127.0.0.1, and another demo account
// that never signed in tries once too. It prints the answers by status,
// the peak RSS and how both people fared:
//
//	go run ./tools/loginflood -n 1000 -c 200 -sources 200
//
// Linux only (it reads /proc and binds to 127.0.0.x).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"guatu/internal/demo"
)

func main() {
	var cfg Config
	flag.IntVar(&cfg.N, "n", 1000, "sign-ins to send")
	flag.IntVar(&cfg.C, "c", 200, "how many at a time")
	flag.IntVar(&cfg.Sources, "sources", 200, "loopback addresses to send from (1: all from 127.0.0.2)")
	flag.StringVar(&cfg.Bin, "bin", "", "a built guatu binary (default: go build ./cmd/guatu)")
	flag.Parse()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loginflood:", err)
		os.Exit(1)
	}
	res.Print(os.Stdout)
}

// Config is one flood.
type Config struct {
	N, C, Sources int
	Bin           string
	Log           io.Writer // the server's standard error; nil: discarded
}

// Result is what the flood measured.
type Result struct {
	Config
	Statuses    map[int]int
	BaseRSS     int64 // KiB, before the flood
	PeakRSS     int64 // KiB, the highest seen during it
	HWM         int64 // KiB, the kernel's high-water mark at the end
	Duration    time.Duration
	Known       Attempt // the administrator, from an address it signed in from
	Stranger    Attempt // an account's first sign-in, from a new address
	RetryAfters int     // 429 and 503 answers that carried Retry-After
}

// Attempt is one person's sign-in during the flood.
type Attempt struct {
	Status  int
	Where   string
	Latency time.Duration
}

func (a Attempt) String() string {
	return fmt.Sprintf("%d → %q in %v", a.Status, a.Where, a.Latency.Round(time.Millisecond))
}

// Print writes the result as the benchmarks record it.
func (r Result) Print(w io.Writer) {
	fmt.Fprintf(w, "flood: %d sign-ins, %d at a time, from %d addresses, in %v\n", r.N, r.C, r.Sources, r.Duration.Round(time.Millisecond))
	var codes []int
	for c := range r.Statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  %d: %d\n", c, r.Statuses[c])
	}
	fmt.Fprintf(w, "  429/503 with Retry-After: %d\n", r.RetryAfters)
	fmt.Fprintf(w, "RSS: %.0f MiB before, %.0f MiB peak during, %.0f MiB high-water mark\n", mib(r.BaseRSS), mib(r.PeakRSS), mib(r.HWM))
	fmt.Fprintf(w, "admin from a known address during the flood: %s\n", r.Known)
	fmt.Fprintf(w, "tongji's first sign-in, from a new address, during the flood: %s\n", r.Stranger)
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

// Run builds (unless cfg.Bin) and starts the server, floods it and stops it.
func Run(ctx context.Context, cfg Config) (Result, error) {
	res := Result{Config: cfg, Statuses: map[int]int{}}
	dir, err := os.MkdirTemp("", "loginflood")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	bin := cfg.Bin
	if bin == "" {
		bin = filepath.Join(dir, "guatu")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "guatu/cmd/guatu")
		if out, err := build.CombinedOutput(); err != nil {
			return res, fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	srv := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", addr, "--data", filepath.Join(dir, "data"))
	srv.Stdout = io.Discard
	srv.Stderr = cfg.Log
	if cfg.Log == nil {
		srv.Stderr = io.Discard
	}
	if err := srv.Start(); err != nil {
		return res, err
	}
	defer func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	}()
	base := "http://" + addr
	if err := waitHealthy(base); err != nil {
		return res, err
	}
	pid := srv.Process.Pid

	// The administrator signs in once before, so 127.0.0.1 is known.
	if a := signIn(base, "127.0.0.1", "admin", demo.Password); a.Status != http.StatusSeeOther || a.Where != "/" {
		return res, fmt.Errorf("admin before the flood: %s", a)
	}
	res.BaseRSS = memory(pid, "VmRSS")

	stop := make(chan struct{})
	var peak atomic.Int64
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if m := memory(pid, "VmRSS"); m > peak.Load() {
				peak.Store(m)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()

	start := time.Now()
	var sent atomic.Int64
	var mu sync.Mutex
	var people sync.WaitGroup
	midway := make(chan struct{})
	people.Add(1)
	go func() {
		defer people.Done()
		<-midway
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); res.Known = signIn(base, "127.0.0.1", "admin", demo.Password) }()
		go func() { defer wg.Done(); res.Stranger = signIn(base, "127.0.0.1", "tongji", demo.Password) }()
		wg.Wait()
	}()
	var workers sync.WaitGroup
	var once sync.Once
	for w := 0; w < cfg.C; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			src := fmt.Sprintf("127.0.%d.%d", 1+(w%max(1, cfg.Sources))/250, 2+(w%max(1, cfg.Sources))%250)
			c := client(src)
			csrf, err := csrfOf(c, base)
			if err != nil {
				mu.Lock()
				res.Statuses[-1]++
				mu.Unlock()
				return
			}
			for {
				i := sent.Add(1)
				if i > int64(cfg.N) {
					return
				}
				if i == int64(cfg.N)/2 {
					once.Do(func() { close(midway) })
				}
				form := url.Values{"csrf": {csrf}, "login": {"flood" + strconv.FormatInt(i, 10)}, "password": {"Wrong-password-1"}}
				resp, err := c.PostForm(base+"/login", form)
				status := -1
				retry := false
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
					retry = resp.Header.Get("Retry-After") != ""
				}
				mu.Lock()
				res.Statuses[status]++
				if retry {
					res.RetryAfters++
				}
				mu.Unlock()
			}
		}()
	}
	workers.Wait()
	once.Do(func() { close(midway) })
	people.Wait()
	res.Duration = time.Since(start)
	close(stop)
	sampler.Wait()
	res.PeakRSS = peak.Load()
	res.HWM = memory(pid, "VmHWM")
	return res, nil
}

// client is a browser without redirects followed, sending from src.
func client(src string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 10 * time.Second}
	return &http.Client{
		Jar:           jar,
		Timeout:       time.Minute,
		Transport:     &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-z]+)"`)

func csrfOf(c *http.Client, base string) (string, error) {
	resp, err := c.Get(base + "/login")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return "", errors.New("no CSRF field on /login")
	}
	return string(m[1]), nil
}

// signIn is one person signing in from src, timed.
func signIn(base, src, login, password string) Attempt {
	c := client(src)
	csrf, err := csrfOf(c, base)
	if err != nil {
		return Attempt{Status: -1, Where: err.Error()}
	}
	start := time.Now()
	resp, err := c.PostForm(base+"/login", url.Values{"csrf": {csrf}, "login": {login}, "password": {password}})
	if err != nil {
		return Attempt{Status: -1, Where: err.Error(), Latency: time.Since(start)}
	}
	resp.Body.Close()
	return Attempt{Status: resp.StatusCode, Where: resp.Header.Get("Location"), Latency: time.Since(start)}
}

// memory reads a field of /proc/PID/status, in KiB.
func memory(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not become healthy")
}
