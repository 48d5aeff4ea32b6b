// PostCSS runs Tailwind CSS v4 for the dashboard's stylesheet.
export default { plugins: { '@tailwindcss/postcss': {} } };
