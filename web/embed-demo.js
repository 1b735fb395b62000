// Auto-height for embedded playgrounds: each frame posts {type: "stsplay:height", height} after it renders.
// Only messages from this page's own frames are used (the source must be one of our iframes' windows).
window.addEventListener('message', (e) => {
  const data = e.data;
  if (!data || data.type !== 'stsplay:height' || typeof data.height !== 'number') return;
  for (const f of document.querySelectorAll('iframe')) {
    if (f.contentWindow === e.source) {
      f.height = String(Math.min(Math.max(Math.round(data.height), 300), 4000));
    }
  }
});
