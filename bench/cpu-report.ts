// Preloaded into a benchmarked child (`node --import ./bench/cpu-report.ts ...`): at exit it
// writes the process's own CPU time (user + system, microseconds, start-up included) to file
// descriptor 3, which the parent reads. Counting CPU rather than wall time keeps the figure
// steady when other work shares the machine.
import { writeSync } from 'node:fs'

process.on('exit', () => {
  const { user, system } = process.cpuUsage()
  try {
    writeSync(3, `${JSON.stringify({ cpuUs: user + system })}\n`)
  } catch {
    // not started by the bench: nothing to report to
  }
})
