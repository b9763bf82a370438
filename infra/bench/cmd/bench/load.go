package main

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// target is one request of a load test.
type target struct {
	Name    string
	Method  string
	URL     string
	Headers map[string]string
	Body    []byte
}

// loadResult is a closed-loop load test's outcome.
type loadResult struct {
	Target   target
	Workers  int
	Duration time.Duration
	OK, Err  int
	Statuses map[int]int
	RPS      float64 // successful (2xx) responses per second
	P50, P99 time.Duration
}

// load runs workers concurrent clients, each sending t again as soon as the
// previous answer arrived, for d.
func load(t target, workers int, d time.Duration) loadResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers * 2}, Timeout: 30 * time.Second}
	var (
		mu    sync.Mutex
		lat   []time.Duration
		res   = loadResult{Target: t, Workers: workers, Statuses: map[int]int{}}
		wg    sync.WaitGroup
		start = time.Now()
	)
	deadline := start.Add(d)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			ok, bad := 0, 0
			statuses := map[int]int{}
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(t.Method, t.URL, bytes.NewReader(t.Body))
				for k, v := range t.Headers {
					req.Header.Set(k, v)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				el := time.Since(t0)
				statuses[resp.StatusCode]++
				if resp.StatusCode < 300 {
					ok++
					mine = append(mine, el)
				} else {
					bad++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			res.OK += ok
			res.Err += bad
			for k, v := range statuses {
				res.Statuses[k] += v
			}
		}()
	}
	wg.Wait()
	res.Duration = time.Since(start)
	res.RPS = float64(res.OK) / res.Duration.Seconds()
	slices.Sort(lat)
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	return res
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return percentile(s, 0.5)
}
