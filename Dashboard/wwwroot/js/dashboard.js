// Small browser helpers for the dashboard: tab visibility (tables pause while hidden) and the "/" shortcut.
window.dashboard = {
  watchVisibility(dotnet) {
    const report = () => dotnet.invokeMethodAsync('SetVisible', document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', report);
    report();
    // The page's interactive circuit is up (the prerendered HTML has the same numbers, but nothing live yet).
    document.documentElement.dataset.live = 'true';
  },
  // Saves a file sent as a .NET stream reference (Dashboard/Export/BrowserDownload.cs).
  async download(name, type, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },
  installShortcuts() {
    if (window.dashboardShortcuts) return;
    window.dashboardShortcuts = true;
    document.addEventListener('keydown', e => {
      const target = e.target;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        const filter = document.getElementById('table-filter');
        if (filter) { e.preventDefault(); filter.focus(); }
      }
    });
  }
};
