# Prints the process's anonymous and file-backed resident memory every 0.5 s, and the peaks.
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t0 = time.time(); last = 0; peak = {}
while p.poll() is None:
    try:
        st = open(f"/proc/{p.pid}/status").read()
        v = {l.split(':')[0]: int(l.split()[1]) // 1024 for l in st.splitlines() if l.startswith(('VmRSS', 'RssAnon', 'RssFile'))}
        for k, x in v.items(): peak[k] = max(peak.get(k, 0), x)
        if time.time() - last > 0.5: print(round(time.time() - t0, 1), v); last = time.time()
    except Exception: pass
    time.sleep(0.01)
print("peak MB", peak)
