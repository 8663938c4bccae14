// Marp CLI settings for Tidepool's decks (slides/slides.mk passes this file).
// Everything a deck needs is inlined into its HTML: no web fonts, no math
// fonts, no emoji images from a CDN: a deck builds and shows without a network.
module.exports = {
  lang: 'en',
  html: true,                 // the preprocessor's <div class="src"> captions
  themeSet: ['tidepool.css'],   // relative to this file
  allowLocalFiles: false,
  options: {
    math: false,              // KaTeX would load its fonts from a CDN, and "$" is assembler
    emoji: { shortcode: false, unicode: false },   // twemoji comes from a CDN
    minifyCSS: true,
  },
};
