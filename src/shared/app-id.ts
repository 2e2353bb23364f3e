// The app's identity, in one place: the installers (electron-builder.config.ts) and the running
// app (app.setAppUserModelId) must agree, or Windows shows no toasts for the installed app.
export const APP_ID = 'app.tidings.desktop'
export const PRODUCT_NAME = 'Tidings'
