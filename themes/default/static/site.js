// Procedure step checklists: state stays in this browser's localStorage, per
// article; nothing is ever sent anywhere. Works from file:// too.
(function () {
  'use strict';
  function storage() {
    try { const s = window.localStorage; s.setItem('svcbook-probe', '1'); s.removeItem('svcbook-probe'); return s; }
    catch (e) { return null; }
  }
  function setup(list) {
    const article = list.closest('[data-article-id]');
    const id = article ? article.getAttribute('data-article-id') : location.pathname;
    const key = 'svcbook:steps:' + id;
    const store = storage();
    const boxes = Array.from(list.querySelectorAll('input.step-check'));
    const progress = document.querySelector('[data-checklist-progress]');
    let saved = {};
    if (store) { try { saved = JSON.parse(store.getItem(key) || '{}'); } catch (e) { saved = {}; } }
    function refresh() {
      const done = boxes.filter((b) => b.checked).length;
      boxes.forEach((b) => b.closest('li').classList.toggle('done', b.checked));
      if (progress) progress.textContent = '已完成 ' + done + ' / ' + boxes.length + ' 步';
    }
    boxes.forEach((box) => {
      box.checked = !!saved[box.getAttribute('data-step')];
      box.addEventListener('change', () => {
        saved[box.getAttribute('data-step')] = box.checked;
        if (store) store.setItem(key, JSON.stringify(saved));
        refresh();
      });
    });
    const reset = document.querySelector('[data-checklist-reset]');
    if (reset) {
      reset.addEventListener('click', () => {
        saved = {};
        if (store) store.removeItem(key);
        boxes.forEach((b) => { b.checked = false; });
        refresh();
      });
    }
    refresh();
  }
  document.querySelectorAll('ol[data-checklist]').forEach(setup);
})();
