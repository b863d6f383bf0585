/*
 * "In tin" on an article page. The page has the button hidden: without scripts it could do
 * nothing, and the browser's own print (Ctrl-P) gives the same paper. An external script,
 * not an onclick attribute, so that a Content-Security-Policy without 'unsafe-inline' runs it.
 */
(function () {
  'use strict';

  for (const button of document.querySelectorAll('.print-button')) {
    button.addEventListener('click', () => window.print());
    button.closest('.tools').hidden = false;
  }
})();
