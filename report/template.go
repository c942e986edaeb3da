package report

// The page's fixed parts. The CSP forbids every fetch: images must be
// data: URIs, and only the inline style and script run.
const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>{{STYLE}}</style>
</head>
<body>
<header>
<h1>{{TITLE}}</h1>
<p>Made by hw1pipe from the pipeline's outputs. Every figure is embedded in this file; numbers are also in results.json.</p>
<nav><ol>{{TOC}}</ol></nav>
</header>
<main>
`

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1100px;padding:1rem 2rem;color:#1b1b1b;background:#fff;line-height:1.4}
h1{margin:.2em 0}h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em}
nav ol{columns:2;font-size:.95em}
.st{font-size:.75em;padding:0 .4em;border-radius:.3em;color:#fff}
.st-ok{background:#2a7a2a}.st-partial{background:#b8860b}.st-missing{background:#b22222}
.missing{color:#b22222;font-style:italic}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:.9em;color:#555}
img.broken{outline:4px solid red}
table{border-collapse:collapse;margin:.8em 0}
th,td{border:1px solid #ccc;padding:.2em .6em;text-align:right}
table.hl th{text-align:left;background:#f3f3f8}table.hl td.src{color:#888;font-size:.8em}
table.md th{background:#f3f3f8}
details pre{max-height:24em;overflow:auto;background:#f8f8f8;padding:.5em;font-size:.8em}
@page{size:letter;margin:1.6cm 1.5cm}
@media print{
body{max-width:none;padding:0;font-size:10.5pt}
section.problem-start{break-before:page}
h2{break-after:avoid;margin-top:1.2em}
figure,table,pre{break-inside:avoid}
figure img{max-height:20cm;width:auto;border:none}
.st{border:1px solid #888;color:#000;background:none}
}
`

// tail closes the page. Its script checks every image once the page has
// loaded and writes the summary into #report-check, which tests read with
// Chromium's --dump-dom; it changes nothing a reader needs.
const tail = `</main>
<output id="report-check" hidden></output>
<script>
(function () {
  function check() {
    var imgs = Array.prototype.slice.call(document.images), broken = [], loaded = 0;
    imgs.forEach(function (im) {
      if (im.complete && im.naturalWidth > 0) { loaded++; }
      else { broken.push(im.getAttribute("data-key") || im.alt); im.className += " broken"; }
    });
    var secs = {};
    Array.prototype.forEach.call(document.querySelectorAll("section[data-status]"), function (s) {
      secs[s.id] = s.getAttribute("data-status");
    });
    document.getElementById("report-check").textContent =
      JSON.stringify({images: imgs.length, loaded: loaded, broken: broken, sections: secs});
  }
  if (document.readyState === "complete") { check(); } else { window.addEventListener("load", check); }
})();
</script>
</body>
</html>
`
