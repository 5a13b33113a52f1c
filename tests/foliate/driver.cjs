// Drives Debian's Chromium with puppeteer-core (from .venv/reader, which ./dev installs): opens the harness
// page that tests/reading.py serves, has it read the book, saves the screenshots it asks for, and writes
// what it saw as JSON. Usage: node driver.cjs CONFIG.json (see tests/reading.py for its keys).
'use strict'
const fs = require('node:fs')
const path = require('node:path')

async function main() {
    const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
    const puppeteer = require(path.join(config.modules, 'puppeteer-core'))
    const browser = await puppeteer.launch({
        executablePath: config.chromium,
        headless: true,
        args: config.flags,
        defaultViewport: config.viewport,
        protocolTimeout: config.timeout,
        timeout: config.timeout,
    })
    try {
        const page = await browser.newPage()
        page.setDefaultTimeout(config.timeout)
        const console = []
        page.on('console', message => {
            if (['error', 'warn'].includes(message.type())) console.push({ type: message.type(), text: message.text() })
        })
        page.on('pageerror', error => console.push({ type: 'pageerror', text: String(error) }))
        const shots = []
        await page.exposeFunction('harnessSnap', async name => {
            const file = path.join(config.shots, `${name}.png`)
            await page.screenshot({ path: file })
            shots.push(file)
        })
        await page.goto(config.url, { waitUntil: 'load' })
        await page.waitForFunction(() => typeof window.readBook === 'function')
        const seen = await page.evaluate(options => window.readBook(options), config.options)
        fs.writeFileSync(config.output, JSON.stringify({ ...seen, console, shots }))
    } finally {
        await browser.close()
    }
}

main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`)
    process.exit(1)
})
