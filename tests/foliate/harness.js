// Opens one book in foliate-js's <foliate-view>, as a reading app does, and reads back what a reader sees:
// the first section shown, every page in reading order, every contents entry followed, every section's
// rendered text, writing mode and fonts. tests/foliate/driver.cjs calls window.readBook and takes the
// screenshots it asks for (window.harnessSnap); tests/reading.py turns the answer into Python.
import './foliate-js/view.js'

const TIMEOUT = 60_000
const MAX_PAGES = 2000  // a newspaper issue has tens of pages: more means paging never ends

const within = (promise, what, ms = TIMEOUT) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
])

const frame = doc => new Promise(resolve => (doc?.defaultView ?? window).requestAnimationFrame(() => resolve()))

export async function readBook({ url, shots = [] }) {
    const errors = []
    const view = document.createElement('foliate-view')
    document.body.append(view)
    await within(view.open(url), 'opening the book')
    const { book, renderer } = view

    // Every move the engine makes ends in the renderer's relocate event: where it is now.
    let last = null
    let moves = 0
    renderer.addEventListener('relocate', ({ detail }) => {
        last = detail
        moves += 1
    })
    const current = () => renderer.getContents()[0] ?? {}
    const position = () => ({ index: last?.index ?? null, fraction: last?.fraction ?? null })
    // Waits until the shown document's fonts are in and a frame has been drawn: the engine lays the
    // section out again when they arrive (and then relocates once more).
    const settle = async () => {
        const { doc } = current()
        if (!doc) return
        await within(doc.fonts.ready, 'the fonts of the section')
        await frame(doc)
        await frame(doc)
    }
    // Runs one navigation; true when the engine moved (a relocate came).
    const move = async (what, action) => {
        const before = moves
        await within(action(), what)
        await settle()
        return moves > before
    }
    const snap = async name => {
        if (!shots.includes(name) || !window.harnessSnap) return
        await settle()
        await window.harnessSnap(name)
    }
    const visible = () => (last?.range ? last.range.toString() : '')

    const out = {
        dir: book.dir ?? null,
        title: book.metadata?.title ?? null,
        language: book.metadata?.language ?? null,
        sections: book.sections.map(s => s.id),
        landmarks: (book.landmarks ?? []).map(({ type, href }) => ({ type: type ?? [], href })),
        errors,
    }

    // 1. Opened as a reading app opens a book it has not shown before: the first page of the first section.
    await move('showing the first page', () => view.next())
    {
        const { doc, index } = current()
        const images = doc ? [...doc.images].map(img => ({
            alt: img.alt, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, complete: img.complete,
        })) : []
        let cover = null
        try {
            const blob = await book.getCover()
            if (blob) {
                const bitmap = await createImageBitmap(blob)
                cover = { width: bitmap.width, height: bitmap.height }
            }
        } catch (e) {
            errors.push(`the cover image: ${e}`)
        }
        out.first = { index: index ?? null, id: book.sections[index]?.id ?? null, images, cover, text: visible() }
        await snap('cover')
    }

    // 2. Paged through with next() to the end, one relocate a page; the first page of each section is kept.
    const pages = [position()]
    const firstPages = { [last?.index]: visible() }
    for (let i = 0; i < MAX_PAGES; i++) {
        if (!await move('turning a page', () => view.next())) break
        pages.push(position())
        if (!(last.index in firstPages)) {
            firstPages[last.index] = visible()
            if (last.index === 1) await snap('masthead')
        }
    }
    out.pages = pages
    out.firstPages = firstPages

    // 3. Which way the page turns: the arrow keys of a reading app call goLeft and goRight.
    out.turns = {}
    for (const side of ['left', 'right']) {
        await move('going to the masthead', () => view.goTo(1))
        await move('turning a page', () => view.next())
        const before = position()
        await move(`turning to the ${side}`, () => side === 'left' ? view.goLeft() : view.goRight())
        out.turns[side] = { before, after: position() }
    }

    // 4. Every section, shown in turn: its rendered text, writing mode, images and fonts.
    out.documents = []
    for (const [index, section] of book.sections.entries()) {
        await move(`showing section ${index}`, () => view.goTo(index))
        const shown = current()
        const { doc } = shown
        const record = { index, id: section.id, shown: shown.index ?? null }
        if (doc) {
            const style = doc.defaultView.getComputedStyle(doc.body)
            const faces = [...doc.fonts]
            const status = faces.map(face => face.status)
            // A face the text did not need stays unloaded: each is asked for, so that a broken one shows.
            await within(Promise.allSettled(faces.map(face => face.load())), `loading the fonts of section ${index}`)
            record.fonts = faces.map((face, i) => ({
                family: face.family.replace(/^["']|["']$/g, ''), weight: face.weight, style: face.style,
                unicodeRange: face.unicodeRange, used: status[i], status: face.status,
            }))
            record.writingMode = style.writingMode
            record.direction = style.direction
            record.text = doc.body.innerText
            record.images = [...doc.images].map(img => ({ alt: img.alt, naturalWidth: img.naturalWidth }))
        }
        out.documents.push(record)
    }

    // 5. Every entry of the contents (book.toc), followed as a click on it is: goTo(href).
    out.toc = []
    const walk = (items, depth) => {
        for (const item of items ?? []) {
            out.toc.push({ label: item.label ?? '', href: item.href ?? null, depth })
            walk(item.subitems, depth + 1)
        }
    }
    walk(book.toc, 0)
    for (const [i, entry] of out.toc.entries()) {
        // From the masthead each time, so that a jump that goes nowhere is not taken for one that landed.
        await move('going to the masthead', () => view.goTo(1))
        const resolved = entry.href ? view.resolveNavigation(entry.href) : null
        const moved = entry.href ? await move(`following ${entry.href}`, () => view.goTo(entry.href)) : false
        const { doc, index } = current()
        Object.assign(entry, {
            resolved: resolved ? resolved.index : null,
            moved,
            landed: index ?? null,
            landedId: book.sections[index]?.id ?? null,
            shown: visible(),
            document: doc ? doc.body.innerText : '',
        })
        if (i === 0) await snap('article')
    }
    return out
}

window.readBook = readBook
