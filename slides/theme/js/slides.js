/* Speed of PyPy -- landslide theme (slides/theme): slides.js
 *
 * Keeps landslide's conventions: every slide is ".slide.slide-N", the current one has
 * "current" (the previous "past", the next "future"); #slideN opens slide N and
 * #presenterN the presenter view (body.presenter_view, notes in #current_presenter_notes);
 * the audience and presenter windows follow each other with postMessage("slide#N").
 *
 * The slide is a 1280x720 box scaled by --scale = min(innerWidth/1280, innerHeight/720),
 * recomputed on every resize.  The presenter view shows the current slide, the next one,
 * the notes, a clock (click or r restarts it) and, from window.JITGAP_PLAN, when the
 * current slide was planned and whether the speaker is ahead or behind.
 */
function main() {
    'use strict';
    var W = 1280, H = 720;
    var root = document.documentElement;
    var slidesBox = document.querySelector('.slides');
    var presentation = document.querySelector('.presentation');
    var slides = Array.prototype.slice.call(document.querySelectorAll('.slides > .slide'));
    var total = slides.length;
    if (!total) { return; }
    var plan = window.JITGAP_PLAN || null;
    var current = 1;
    var isPresenter = false;
    var presenterWin = null;   // the presenter window, seen from the audience window
    var blanked = false;
    var overview = false;
    var digits = '';
    var digitsTimer = null;
    var clockStart = Date.now();
    var clockTimer = null;
    var $ = function (id) { return document.getElementById(id); };

    // ---- the plan: main slides, backup slides ----

    var mainCount = (function () {
        if (plan && typeof plan.main_slides === 'number') {
            return Math.max(0, Math.min(plan.main_slides, total));
        }
        for (var i = 0; i < total; i++) {
            if (slides[i].classList.contains('backup')) { return i; }
        }
        return total;
    })();

    var counterText = function (n) {
        return n <= mainCount ? n + ' / ' + mainCount : 'backup ' + (n - mainCount);
    };

    var planFor = function (n) {
        var list = plan && plan.slides;
        var p = list && list[n - 1];
        return p && typeof p.start === 'number' && typeof p.minutes === 'number' ? p : null;
    };

    slides.forEach(function (el, i) {
        var number = el.querySelector('.page_number');
        if (number) { number.textContent = counterText(i + 1); }
    });

    // ---- helpers ----

    var slideTitle = function (n) {
        var el = slides[n - 1];
        var h = el && el.querySelector('header');
        return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
    };

    // m:ss (pad: mm:ss); minutes may pass 59
    var clock = function (seconds, pad) {
        seconds = Math.max(0, Math.round(seconds));
        var m = Math.floor(seconds / 60), s = seconds % 60;
        return (pad && m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
    };

    var tellOther = function (message) {
        var w = isPresenter ? window.opener : presenterWin;
        if (w && w !== window && !w.closed) {
            try { w.postMessage(message, '*'); } catch (e) { /* window gone */ }
        }
    };

    var setHash = function () {
        var hash = '#' + (isPresenter ? 'presenter' : 'slide') + current;
        if (window.location.hash === hash) { return; }
        try {
            window.history.replaceState(null, '', hash);
        } catch (e) {
            window.location.hash = hash;
        }
    };

    // ---- scaling ----

    var fit = function () {
        var scale = Math.min(window.innerWidth / W, window.innerHeight / H);
        root.style.setProperty('--scale', String(scale > 0 ? scale : 1));
        if (isPresenter) { placePresenter(); }
        if (overview) { layoutOverview(); }
    };

    // ---- moving ----

    var go = function (n, notify) {
        n = Math.max(1, Math.min(total, Math.floor(Number(n)) || 1));
        current = n;
        slides.forEach(function (el, i) {
            var k = i + 1;
            el.classList.toggle('current', k === n);
            el.classList.toggle('past', k === n - 1);
            el.classList.toggle('future', k === n + 1);
        });
        setHash();
        document.title = slideTitle(n) || document.title;
        document.body.classList.toggle('at_end', n === total);
        if (isPresenter) { updatePresenter(); }
        if (overview) { scrollToCurrent(); }
        if (notify !== false) { tellOther('slide#' + n); }
    };

    // ---- blank screen (b): the presenter's b blanks the audience window ----

    var setBlank = function (on, notify) {
        blanked = on;
        document.body.classList.toggle('blanked', on);
        var flags = $('presenter_flags');
        if (flags) { flags.textContent = on ? 'audience screen blanked (b)' : ''; }
        if (notify !== false) { tellOther('blank#' + (on ? 1 : 0)); }
    };

    // ---- presenter view ----

    var placeOn = function (slot, prefix) {
        var r = slot.getBoundingClientRect();
        var s = Math.min(r.width / W, r.height / H);
        if (!(s > 0)) { s = 0.01; }
        slidesBox.style.setProperty('--' + prefix + 'x', (r.left + (r.width - W * s) / 2) + 'px');
        slidesBox.style.setProperty('--' + prefix + 'y', (r.top + (r.height - H * s) / 2) + 'px');
        slidesBox.style.setProperty('--' + prefix + 's', String(s));
    };

    var placePresenter = function () {
        placeOn($('presenter_current'), 'c');
        placeOn($('presenter_next'), 'n');
    };

    var tick = function () {
        var elapsed = (Date.now() - clockStart) / 1000;
        var of = plan && typeof plan.total_minutes === 'number'
            ? ' <span class="of">/ ' + clock(plan.total_minutes * 60, true) + '</span>' : '';
        $('presenter_elapsed').innerHTML = clock(elapsed, true) + of;
        var status = $('presenter_status');
        var p = planFor(current);
        if (!p) {
            $('presenter_plan').textContent =
                plan && current > mainCount ? 'backup: not in the plan' : '';
            status.textContent = '';
            status.className = '';
            return;
        }
        var start = p.start * 60, end = (p.start + p.minutes) * 60;
        $('presenter_plan').textContent = 'planned ' + clock(start) + '\u2013' + clock(end);
        // ahead: this slide came before its planned start; behind: it outlasts its planned end
        if (elapsed < start) {
            status.textContent = clock(start - elapsed) + ' ahead';
            status.className = 'ahead';
        } else if (elapsed > end) {
            status.textContent = '+' + clock(elapsed - end) + ' behind';
            status.className = 'behind';
        } else {
            status.textContent = 'on time';
            status.className = 'on_time';
        }
    };

    var restartClock = function () {
        clockStart = Date.now();
        tick();
    };

    var updatePresenter = function () {
        var box = $('current_presenter_notes');
        var notes = slides[current - 1].querySelector('.presenter_notes');
        var clone = notes ? notes.cloneNode(true) : document.createElement('div');
        clone.id = 'presenter_note';
        box.replaceChild(clone, $('presenter_note'));
        box.scrollTop = 0;
        $('presenter_next_title').textContent =
            current < total ? '\u2014 ' + slideTitle(current + 1) : '';
        $('presenter_counter').textContent = counterText(current);
        tick();
    };

    var enterPresenter = function () {
        if (isPresenter) { return; }
        isPresenter = true;
        if (overview) { toggleOverview(); }
        document.body.classList.add('presenter_view');
        document.body.classList.remove('blanked');
        $('presenter').removeAttribute('aria-hidden');
        $('presenter_clock').addEventListener('click', restartClock);
        clockStart = Date.now();
        clockTimer = window.setInterval(tick, 250);
        if (window.ResizeObserver) {
            new window.ResizeObserver(placePresenter).observe($('presenter'));
        }
        fit();
    };

    var togglePresenterWindow = function () {
        if (isPresenter) { return; }
        if (presenterWin && !presenterWin.closed) {
            presenterWin.close();
            presenterWin = null;
            return;
        }
        presenterWin = window.open(window.location.href.split('#')[0] + '#presenter' + current,
                                   'jitgap_presenter', 'width=1280,height=760');
    };

    // ---- overview (Esc, audience window only) ----

    var layoutOverview = function () {
        var cols = window.innerWidth >= 1600 ? 5 : 4, gap = 24;
        var w = (presentation.clientWidth - gap * (cols + 1)) / cols;
        var s = w / W, h = H * s;
        slides.forEach(function (el, i) {
            var x = gap + (i % cols) * (w + gap), y = gap + Math.floor(i / cols) * (h + gap);
            el.style.transform = 'translate(' + x + 'px, ' + y + 'px) scale(' + s + ')';
            el.overviewTop = y;
        });
        slidesBox.style.height = (gap + Math.ceil(total / cols) * (h + gap)) + 'px';
    };

    var scrollToCurrent = function () {
        var y = slides[current - 1].overviewTop || 0;
        presentation.scrollTop = Math.max(0, y - presentation.clientHeight / 3);
    };

    var toggleOverview = function () {
        if (isPresenter) { return; }
        overview = !overview;
        document.body.classList.toggle('overview', overview);
        if (overview) {
            layoutOverview();
            scrollToCurrent();
        } else {
            slides.forEach(function (el) { el.style.transform = ''; });
            slidesBox.style.height = '';
            presentation.scrollTop = 0;
            fit();
        }
    };

    slides.forEach(function (el, i) {
        el.addEventListener('click', function (e) {
            // overview: go to the slide clicked; presenter view: the preview advances
            var preview = isPresenter && el.classList.contains('future');
            if (!overview && !preview) { return; }
            e.preventDefault();
            e.stopPropagation();
            if (overview) { toggleOverview(); }
            go(i + 1);
        }, true);
    });

    // ---- keys ----

    var showDigits = function () {
        var jump = $('jump');
        jump.textContent = digits ? 'go to slide ' + digits + ' \u23ce' : '';
        jump.classList.toggle('active', !!digits);
        window.clearTimeout(digitsTimer);
        if (digits) {
            digitsTimer = window.setTimeout(function () { digits = ''; showDigits(); }, 4000);
        }
    };

    var toggleHelp = function (show) {
        var help = $('help');
        var hide = show === undefined ? !help.classList.contains('hidden') : !show;
        help.classList.toggle('hidden', hide);
    };

    document.addEventListener('keydown', function (e) {
        if (e.ctrlKey || e.altKey || e.metaKey) { return; }
        var key = e.key && e.key.length === 1 ? e.key.toLowerCase() : e.key;
        if (/^[0-9]$/.test(key)) {
            digits = (digits + key).slice(-4);
            showDigits();
            e.preventDefault();
            return;
        }
        if (digits) {
            if (key === 'Enter') {
                var n = Number(digits);
                digits = '';
                showDigits();
                if (overview) { toggleOverview(); }
                go(n);
                e.preventDefault();
                return;
            }
            if (key === 'Backspace') {
                digits = digits.slice(0, -1);
                showDigits();
                e.preventDefault();
                return;
            }
            digits = '';
            showDigits();
            if (key === 'Escape') { return; }
        }
        switch (key) {
            case 'ArrowRight': case ' ': case 'PageDown':
                go(current + 1);
                break;
            case 'ArrowLeft': case 'PageUp':
                go(current - 1);
                break;
            case 'Home':
                go(1);
                break;
            case 'End':
                go(total);
                break;
            case 'Enter':
                if (overview) { toggleOverview(); }
                return;
            case 'Escape':
                if (!$('help').classList.contains('hidden')) { toggleHelp(false); }
                else { toggleOverview(); }
                break;
            case 'p':
                togglePresenterWindow();
                break;
            case 'b': case '.':
                setBlank(!blanked);
                break;
            case 'h': case '?':
                toggleHelp();
                break;
            case 'r':
                if (isPresenter) { restartClock(); }
                break;
            default:
                return;
        }
        e.preventDefault();
    }, false);

    // ---- touch: swipe left / right ----

    var touchX = null;
    document.addEventListener('touchstart', function (e) { touchX = e.touches[0].pageX; }, false);
    document.addEventListener('touchend', function (e) {
        if (touchX === null) { return; }
        var moved = touchX - e.changedTouches[0].pageX;
        touchX = null;
        if (moved > 120) { go(current + 1); } else if (moved < -120) { go(current - 1); }
    }, false);

    // ---- the other window ----

    window.addEventListener('message', function (e) {
        if (typeof e.data !== 'string' || e.source === window) { return; }
        var m = /^slide#(\d+)$/.exec(e.data);
        if (!isPresenter && e.source && m) { presenterWin = e.source; }
        if (m) {
            go(Number(m[1]), false);
            return;
        }
        m = /^blank#([01])$/.exec(e.data);
        if (m) { setBlank(m[1] === '1', false); }
    }, false);

    // ---- start: #slideN or #presenterN ----

    var fromHash = function () {
        var m = /^#(slide|presenter)(\d+)$/.exec(window.location.hash);
        return m ? {presenter: m[1] === 'presenter', n: Number(m[2])} : null;
    };

    window.addEventListener('hashchange', function () {
        var h = fromHash();
        if (!h) { return; }
        if (h.presenter) { enterPresenter(); }
        go(h.n);
    }, false);

    window.addEventListener('resize', fit, false);

    var start = fromHash();
    if (start && start.presenter) { enterPresenter(); }
    fit();
    go(start ? start.n : 1, false);
    if (isPresenter) { tellOther('slide#' + current); }

    // for tools (jitgap screens) and tests
    window.jitgapSlides = {
        go: function (n) { go(n); return current; },
        current: function () { return current; },
        count: total,
        mainCount: mainCount,
        restartClock: restartClock
    };
}
