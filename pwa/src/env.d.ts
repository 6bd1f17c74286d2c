/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
/** The build's date and commit (vite.config.ts), shown in "about this phone". */
declare const __APP_VERSION__: string
